#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/beast/http/field.hpp>
#include <spdlog/spdlog.h>

#include "http/responses.hpp"

namespace attendance::http {

namespace fs = std::filesystem;

namespace {

std::string content_type_of(const fs::path& path) {
  static const std::unordered_map<std::string, std::string> kTypes{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".webmanifest", "application/manifest+json"},
      {".woff2", "font/woff2"},              {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  auto found = kTypes.find(path.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code error;
  if (root.empty() || !fs::is_directory(root, error)) {
    spdlog::warn("no dashboard files at '{}': only the API is served", root);
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root, error)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto relative = "/" + fs::relative(entry.path(), root).generic_string();
    files_[relative] = File{content_type_of(entry.path()), bytes.str(), relative.starts_with("/assets/")};
  }
  spdlog::info("serving {} dashboard file(s) from {}", files_.size(), root);
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  if (files_.empty()) return std::nullopt;
  std::string path(req.url.path());
  auto found = files_.find(path == "/" ? "/index.html" : path);
  // A missing asset is a 404; any other path is one of the page's own routes.
  if (found == files_.end() && !path.starts_with("/assets/")) found = files_.find("/index.html");
  if (found == files_.end()) return std::nullopt;
  Response res = make_response(req, Status::ok);
  res.set(beast_http::field::content_type, found->second.content_type);
  res.set(beast_http::field::cache_control,
          found->second.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  set_page_security_headers(res);
  res.body() = found->second.bytes;
  res.prepare_payload();
  return res;
}

void set_page_security_headers(Response& res) {
  res.set("content-security-policy",
          "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
          "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set("x-content-type-options", "nosniff");
  res.set("x-frame-options", "DENY");
  res.set("referrer-policy", "no-referrer");
}

}  // namespace attendance::http
