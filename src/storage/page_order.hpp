#pragma once
// The end every keyset page's statement shares: its order and its limit.

#include <string>
#include <string_view>

#include "storage/repositories.hpp"
#include "storage/sql.hpp"

namespace attendance::storage {

// " ORDER BY <order_by> LIMIT ...". The default page's limit (kDefaultPageFetch) is written in;
// any other is bound as the statement's last parameter, pushed onto params here.
//
// With its LIMIT a parameter, a page's generic plan is costed for 10 % of the table, never wins
// against the custom plans, and PostgreSQL plans every run afresh (pg_prepared_statements: 0
// generic plans and 10 custom after 10 runs). Written in, the plan is made once. Other limits stay
// parameters, so that each limit isn't a statement of its own.
std::string order_and_limit(std::string_view order_by, const Page& page, sql::Params& params);

}  // namespace attendance::storage
