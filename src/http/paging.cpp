#include "http/paging.hpp"

#include <charconv>

namespace attendance::http {

domain::Result<storage::Page> read_page(const Request& req) {
  constexpr int kDefaultLimit = 100;
  static_assert(kDefaultLimit + 1 == storage::kDefaultPageFetch, "the default page's statement has its limit written in");
  storage::Page page;
  int limit = kDefaultLimit;
  domain::FieldErrors errors;
  if (auto text = req.query("limit")) {
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (error != std::errc{} || end != text->data() + text->size() || limit < 1 ||
        static_cast<std::size_t>(limit) > req.app.max_page_size) {
      errors["limit"].push_back("must be an integer from 1 to " + std::to_string(req.app.max_page_size));
    }
  }
  if (auto text = req.query("after")) {
    page.after = parse_id(*text);
    if (!page.after) errors["after"].push_back("must be a positive integer id");
  }
  if (!errors.empty()) return domain::Error::invalid(std::move(errors));
  page.limit = limit + 1;
  return page;
}

}  // namespace attendance::http
