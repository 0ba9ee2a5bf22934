#pragma once
// What goes into a log line from text the service doesn't control: one line each (log shippers
// split at newlines), without the values a database error carries, and without a secret a
// client put in a query string by mistake.

#include <string>
#include <string_view>

namespace attendance::http {

// A failure's message on one line, without the bound values SOCI appends to it
// (`... with :name=Ada, :school_id=1.`): those are what clients sent, names among them.
std::string loggable_failure(std::string_view message);

// The request target with the values of query parameters named like a secret (token,
// access_token, secret, api_key, password) replaced by "***". The server reads secrets only from
// the Authorization header, but a client may still send one in the URL.
std::string loggable_target(std::string_view target);

}  // namespace attendance::http
