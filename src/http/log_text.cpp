#include "http/log_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <boost/url/pct_string_view.hpp>

#include "domain/one_line.hpp"

namespace attendance::http {

namespace {

// A query key as the router reads it (`t%6Fken` is `token`), so an encoded spelling of a
// secret's name can't take its value past the mask. A malformed escape is kept as written.
std::string decoded_key(std::string_view raw) {
  auto encoded = boost::urls::make_pct_string_view(raw);
  if (!encoded) return std::string(raw);
  return encoded->decode();
}

bool names_a_secret(std::string_view raw_key) {
  static constexpr std::array<std::string_view, 5> kSecretKeys{"token", "access_token", "secret", "api_key",
                                                               "password"};
  const std::string key = decoded_key(raw_key);
  return std::any_of(kSecretKeys.begin(), kSecretKeys.end(), [&key](std::string_view secret) {
    return key.size() == secret.size() && std::equal(key.begin(), key.end(), secret.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  });
}

}  // namespace

std::string loggable_failure(std::string_view message) {
  if (auto values = message.find(" with :"); values != std::string_view::npos) message = message.substr(0, values);
  return domain::one_line(message);
}

std::string loggable_target(std::string_view target) {
  const auto query = target.find('?');
  if (query == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, query + 1));
  std::string_view rest = target.substr(query + 1);
  bool first = true;
  while (true) {
    const auto end = rest.find('&');
    const auto pair = rest.substr(0, end);
    if (!first) out += '&';
    first = false;
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && names_a_secret(pair.substr(0, equals))) {
      out += pair.substr(0, equals + 1);
      out += "***";
    } else {
      out += pair;
    }
    if (end == std::string_view::npos) break;
    rest = rest.substr(end + 1);
  }
  return out;
}

}  // namespace attendance::http
