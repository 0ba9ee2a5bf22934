#include "storage/page_order.hpp"

namespace attendance::storage {

std::string order_and_limit(std::string_view order_by, const Page& page, sql::Params& params) {
  std::string clause = " ORDER BY ";
  clause += order_by;
  clause += " LIMIT ";
  if (page.limit == kDefaultPageFetch) {
    clause += std::to_string(kDefaultPageFetch);
  } else {
    clause += ":limit";
    params.push_back(sql::Param::of(static_cast<long long>(page.limit)));
  }
  return clause;
}

}  // namespace attendance::storage
