#pragma once

#include <string>

namespace attendance::http {

// 16 hex characters, unique enough to find one request in the logs.
std::string new_request_id();

}  // namespace attendance::http
