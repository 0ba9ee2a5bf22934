#include "http/handlers/attendance_queues.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "http/context.hpp"
#include "http/paging.hpp"
#include "http/render.hpp"

namespace attendance::http {

namespace {

using domain::Id;
using storage::Session;

// The events with these ids, in their order (nullopt for an id that names none), in one query.
std::vector<std::optional<Shown>> find_all_shown(Session& s, std::vector<Id>& ids) {
  std::map<Id, Shown> found;
  for (auto& [event, threshold] : storage::find_attendances_with_fever_thresholds(s, ids)) {
    const Id id = event.id;
    found.emplace(id, Shown{std::move(event), threshold});
  }
  std::vector<std::optional<Shown>> shown;
  shown.reserve(ids.size());
  for (Id id : ids) {
    auto it = found.find(id);
    if (it == found.end()) shown.emplace_back();
    else shown.emplace_back(it->second);
  }
  return shown;
}

// Adds the fever threshold of each school the events belong to (usually one) that is missing.
void add_fever_thresholds(Session& s, std::span<const domain::Attendance> events, std::map<Id, double>& thresholds) {
  for (const auto& event : events) {
    if (thresholds.contains(event.school_id)) continue;
    auto school = storage::find_school(s, event.school_id);
    thresholds[event.school_id] = school ? school->fever_threshold : domain::School{}.fever_threshold;
  }
}

// Pages one after the other on one connection, each written to JSON text here: pages don't share
// a query, but the job spares each a thread hop and a wake-up of a database thread (on PostgreSQL
// their queries go in one round trip), and its schools' thresholds are read once.
std::vector<Listed> list_all(Session& s, std::vector<PageQuery>& queries) {
  thread_local std::vector<domain::Attendance> rows;  // this database thread's, reused
  std::map<Id, double> thresholds;
  std::vector<Listed> pages;
  pages.reserve(queries.size());
  storage::fetch_attendance_pages(s, queries, rows, [&](std::size_t page, std::size_t fetched) {
    const auto shown = shown_rows(fetched, queries[page].page);
    add_fever_thresholds(s, std::span(rows.data(), shown), thresholds);
    Listed listed{ListBody(256 * shown), std::nullopt};
    for (std::size_t i = 0; i < shown; ++i) {
      append_json(listed.body.next_row(), rows[i], thresholds[rows[i].school_id]);
    }
    if (fetched > shown) listed.next_after = rows[shown - 1].id;
    pages.push_back(std::move(listed));
  });
  if (rows.size() > 128) rows = {};  // a page above the default 100 doesn't keep its rows' memory
  return pages;
}

}  // namespace

AttendanceQueues::AttendanceQueues() : recordings(&record_all), lookups(&find_all_shown), pages(&list_all, 16) {}

std::shared_ptr<AttendanceQueues> make_attendance_queues() { return std::make_shared<AttendanceQueues>(); }

}  // namespace attendance::http
