#pragma once
// Keyset paging of index routes: `?limit=` (default 100, 1..1000) and `?after=<id>`.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "domain/result.hpp"
#include "http/request.hpp"
#include "storage/repositories.hpp"

namespace attendance::http {

// The page the client asked for, fetching one row more than it shows so the response can tell
// whether another page follows. 422 on a malformed limit or after.
domain::Result<storage::Page> read_page(const Request& req);

// How many of the rows fetched for a page it shows: all but the extra one.
inline std::size_t shown_rows(std::size_t fetched_rows, const storage::Page& fetched) {
  return std::min(fetched_rows, static_cast<std::size_t>(fetched.limit - 1));
}

// Trims the extra row and returns the id to continue after, if more rows exist.
template <class Row, class IdOf>
std::optional<domain::Id> finish_page(std::vector<Row>& rows, const storage::Page& fetched, IdOf id_of) {
  const auto shown = shown_rows(rows.size(), fetched);
  if (rows.size() == shown) return std::nullopt;
  rows.resize(shown);
  return id_of(rows.back());
}

template <class Row>
std::optional<domain::Id> finish_page(std::vector<Row>& rows, const storage::Page& fetched) {
  return finish_page(rows, fetched, [](const Row& row) { return row.id; });
}

}  // namespace attendance::http
