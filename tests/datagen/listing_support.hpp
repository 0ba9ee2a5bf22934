#pragma once
// What a real attendance-server holds, asked over HTTP as any client would.

#include <cstdint>
#include <string>

namespace attendance::datagen::testing {

// The number of attendances the server at `url` lists to `token`, following its keyset pages.
std::uint64_t count_on_server(const std::string& url, const std::string& token);

}  // namespace attendance::datagen::testing
