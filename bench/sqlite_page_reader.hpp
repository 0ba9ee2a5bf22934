#pragma once
// The page ceiling's SQLite half (beast_ceiling --sqlite FILE): a page of attendances read from
// the service's own file and written as the service's list body, with nothing else in the way.
// The same query as GET /api/attendances?limit=100&after=N sends, stepped through one prepared
// statement on the calling thread (one read-only connection per thread, no mutexes, no hop to a
// database thread); the JSON written in one pass with the service's own writers of numbers, text
// and instants, the same fields in the same order. What it leaves out is what the service adds:
// routing, the token check, the thread hop, logs, metrics, the domain's row type.

#include <cstdint>
#include <string>

namespace attendance::bench {

// The body of the page of up to 100 attendances after id `after` in the SQLite file at `path`,
// read with this thread's connection to it (opened on first use, kept for the thread's life).
// Exits the process with a message on any SQLite error: a ceiling that fails must not look fast.
std::string sqlite_page_body(const std::string& path, std::int64_t after);

}  // namespace attendance::bench
