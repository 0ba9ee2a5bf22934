#pragma once
// Recording events inside a write job: the rules of DESIGN.md section 4 in their order
// (client_id retry, kiosk double scan, alternation), shared by POST /api/attendances, the batch
// endpoint and the benchmarks that measure what those endpoints run (bench/aggregate_bench.cpp).
// Defined in attendances.cpp.

#include <string>

#include "domain/result.hpp"
#include "domain/types.hpp"
#include "http/handlers/decoders.hpp"
#include "http/principal.hpp"
#include "storage/session.hpp"

namespace attendance::http {

// What a recording produced: the stored event (new or the earlier one it repeats), its school.
struct Recorded {
  domain::Attendance event;
  domain::School school;
  bool created = false;
  std::string user_name;
  bool replayed = false;  // a client_id retry answered with the event stored the first time
};

// One event to record and who sends it.
struct Recording {
  NewEvent event;
  Principal caller;
};

// Runs in a write job on the users' lane: locks the users' rows (PostgreSQL), then stores each
// event or answers with the one it repeats, in order, each seeing the ones before it. 422 for a
// user the caller can't reach, 409 for an event that would break the alternation; a rejected
// event leaves nothing behind. Reads what all the events need in two queries, whatever their
// number, so concurrent requests that share a job (storage::Coalescer) share the round trips.
std::vector<domain::Result<Recorded>> record_all(storage::Session& s, std::vector<Recording>& recordings);

}  // namespace attendance::http
