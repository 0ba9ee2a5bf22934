#include "http/response_head.hpp"

#include <charconv>

namespace attendance::http {

std::string response_head(const Response& response) {
  std::string out;
  out.reserve(512);
  out += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  char code[4];
  auto end = std::to_chars(code, code + sizeof code, response.result_int()).ptr;
  out.append(code, end);
  out += ' ';
  auto reason = response.reason();
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& field : response) {
    auto name = field.name_string();
    auto value = field.value();
    out.append(name.data(), name.size());
    out += ": ";
    out.append(value.data(), value.size());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace attendance::http
