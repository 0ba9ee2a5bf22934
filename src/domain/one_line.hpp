#pragma once
// Text for one log line: log shippers split entries at newlines, and libpq's and SOCI's messages
// carry them (a DETAIL or HINT line, the statement after the error).

#include <string>
#include <string_view>

namespace attendance::domain {

// Each run of line breaks becomes one space; trailing spaces go.
inline std::string one_line(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace attendance::domain
