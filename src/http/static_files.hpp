#pragma once
// The dashboard's built files (web/dist), read into memory at start and served at `/` with the
// security headers a browser page needs. Paths that name no file get index.html, so the page's
// own routes survive a reload.

#include <optional>
#include <string>
#include <unordered_map>

#include "http/request.hpp"

namespace attendance::http {

class StaticFiles {
 public:
  // Loads every file below root; an absent or empty root serves nothing (the API still works).
  explicit StaticFiles(const std::string& root);

  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }

  // The file for a GET (or HEAD) of this path, or empty when there is nothing to serve.
  std::optional<Response> serve(const Request& req) const;

 private:
  struct File {
    std::string content_type;
    std::string bytes;
    bool immutable = false;  // Vite's hashed assets never change under their name
  };
  std::unordered_map<std::string, File> files_;
};

// Headers for every response of the dashboard's origin.
void set_page_security_headers(Response& res);

}  // namespace attendance::http
