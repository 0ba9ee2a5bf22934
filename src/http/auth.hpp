#pragma once
// Bearer-token authentication and the role checks handlers share.

#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "domain/result.hpp"
#include "http/context.hpp"
#include "http/principal.hpp"

namespace attendance::http {

// The secret of `Bearer <secret>` (scheme case-insensitive, spaces trimmed); empty when the
// header is missing, of another scheme, or longer than any secret we issue.
std::optional<std::string_view> bearer_secret(std::string_view authorization);

// The principal behind `Authorization: Bearer <secret>`; empty when the header is missing,
// malformed, or names no active token (revocation takes effect on the next request).
boost::asio::awaitable<std::optional<Principal>> authenticate(AppContext& app, std::string_view authorization);

// Function-level access: is the caller's role among those allowed?
bool has_role(const Principal& caller, std::initializer_list<domain::Role> allowed);

}  // namespace attendance::http
