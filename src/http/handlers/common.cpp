#include "http/handlers/common.hpp"

namespace attendance::http {

std::optional<Response> forbid_unless(const Request& req, std::initializer_list<Role> allowed) {
  if (has_role(req.caller(), allowed)) return std::nullopt;
  return error_response(req, ErrorKind::forbidden);
}

}  // namespace attendance::http
