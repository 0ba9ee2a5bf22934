#pragma once
// The Date header (RFC 9110 section 6.6.1): an origin server with a clock sends it on every
// response, so a client can tell the server's time from its own (the dashboard takes "today"
// from it rather than from a laptop's clock that may be wrong).

#include <array>
#include <chrono>
#include <string_view>

namespace attendance::http {

// The IMF-fixdate form of an instant, to the second (RFC 9110 section 5.6.7), always 29 bytes:
//   imf_fixdate(sys_days{2026y / 12 / 2} + 5h + 31min).view() == "Wed, 02 Dec 2026 05:31:00 GMT"
struct HttpDate {
  std::array<char, 29> chars{};
  std::string_view view() const { return {chars.data(), chars.size()}; }
};
HttpDate imf_fixdate(std::chrono::system_clock::time_point instant);

// The Date of a response made now. Formatted at most once a second per thread (it is on every
// response); the view stays valid until this thread's next call.
std::string_view current_http_date();

}  // namespace attendance::http
