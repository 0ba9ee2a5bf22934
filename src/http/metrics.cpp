#include "http/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <utility>

namespace attendance::http {

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

// A label value with \, " and newline escaped, as the text format requires.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void append_number(std::string& out, double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc{} ? end : buffer);
}

void append_number(std::string& out, std::uint64_t value) {
  char buffer[24];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc{} ? end : buffer);
}

void append_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void append_single(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                   std::uint64_t value) {
  append_header(out, name, type, help);
  out.append(name).append(" ");
  append_number(out, value);
  out.append("\n");
}

// A counter family with one label: name{label="value"} count, a line per value.
void append_labelled(std::string& out, std::string_view name, std::string_view help, std::string_view label,
                     std::initializer_list<std::pair<std::string_view, std::uint64_t>> samples) {
  append_header(out, name, "counter", help);
  for (const auto& [value, count] : samples) {
    out.append(name).append("{").append(label).append("=\"").append(value).append("\"} ");
    append_number(out, count);
    out.append("\n");
  }
}

std::string_view method_name(Verb verb) {
  if (verb == Verb::unknown) return "other";
  auto name = beast_http::to_string(verb);
  return {name.data(), name.size()};
}

}  // namespace

Metrics::Metrics(const std::vector<Route>& routes) {
  for (std::size_t i = 0; i < routes.size(); ++i) {
    auto found = std::find(patterns_.begin(), patterns_.end(), routes[i].pattern);
    slot_of_route_.push_back(static_cast<std::size_t>(found - patterns_.begin()));
    if (found == patterns_.end()) patterns_.push_back(routes[i].pattern);
  }
  slot_of_route_.push_back(patterns_.size());
  patterns_.emplace_back(kUnmatched);
  requests_ = std::make_unique<std::atomic<std::uint64_t>[]>(patterns_.size() * kMethodSlots * kStatusSlots);
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(patterns_.size() * kBucketSlots);
  nanos_ = std::make_unique<std::atomic<std::uint64_t>[]>(patterns_.size());
}

std::size_t Metrics::method_slot(Verb method) {
  auto found = std::find(kMethods.begin(), kMethods.end(), method);
  return static_cast<std::size_t>(found - kMethods.begin());
}

std::size_t Metrics::status_slot(unsigned status) {
  auto found = std::lower_bound(kStatuses.begin(), kStatuses.end(), status);
  if (found == kStatuses.end() || *found != status) return kStatuses.size();
  return static_cast<std::size_t>(found - kStatuses.begin());
}

void Metrics::record(std::size_t route, Verb method, unsigned status, std::chrono::steady_clock::duration took) {
  std::size_t slot = slot_of_route_[std::min(route, slot_of_route_.size() - 1)];
  requests_[(slot * kMethodSlots + method_slot(method)) * kStatusSlots + status_slot(status)].fetch_add(1, kRelaxed);
  double seconds = std::chrono::duration<double>(took).count();
  auto bucket = static_cast<std::size_t>(std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin());
  buckets_[slot * kBucketSlots + bucket].fetch_add(1, kRelaxed);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(took).count();
  nanos_[slot].fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, nanos)), kRelaxed);
}

std::string Metrics::render(const MetricsSources& sources) const {
  std::string out;
  out.reserve(16 * 1024);

  append_header(out, "attendance_http_requests_total", "counter", "HTTP responses by matched route, method and status.");
  for (std::size_t p = 0; p < patterns_.size(); ++p) {
    for (std::size_t m = 0; m < kMethodSlots; ++m) {
      for (std::size_t s = 0; s < kStatusSlots; ++s) {
        auto count = requests_[(p * kMethodSlots + m) * kStatusSlots + s].load(kRelaxed);
        if (count == 0) continue;
        out.append("attendance_http_requests_total{route=\"");
        append_label_value(out, patterns_[p]);
        out.append("\",method=\"").append(method_name(m < kMethods.size() ? kMethods[m] : Verb::unknown));
        out.append("\",status=\"");
        if (s < kStatuses.size()) append_number(out, std::uint64_t{kStatuses[s]});
        else out.append("other");
        out.append("\"} ");
        append_number(out, count);
        out.append("\n");
      }
    }
  }

  append_header(out, "attendance_http_request_duration_seconds", "histogram",
                "Time from a parsed request to its response (a stream's header), by matched route.");
  for (std::size_t p = 0; p < patterns_.size(); ++p) {
    std::uint64_t cumulative = 0;
    std::array<std::uint64_t, kBucketSlots> counts{};
    for (std::size_t b = 0; b < kBucketSlots; ++b) counts[b] = buckets_[p * kBucketSlots + b].load(kRelaxed);
    for (auto c : counts) cumulative += c;
    if (cumulative == 0) continue;
    cumulative = 0;
    for (std::size_t b = 0; b < kBucketSlots; ++b) {
      cumulative += counts[b];
      out.append("attendance_http_request_duration_seconds_bucket{route=\"");
      append_label_value(out, patterns_[p]);
      out.append("\",le=\"");
      if (b < kBuckets.size()) append_number(out, kBuckets[b]);
      else out.append("+Inf");
      out.append("\"} ");
      append_number(out, cumulative);
      out.append("\n");
    }
    out.append("attendance_http_request_duration_seconds_sum{route=\"");
    append_label_value(out, patterns_[p]);
    out.append("\"} ");
    append_number(out, static_cast<double>(nanos_[p].load(kRelaxed)) / 1e9);
    out.append("\nattendance_http_request_duration_seconds_count{route=\"");
    append_label_value(out, patterns_[p]);
    out.append("\"} ");
    append_number(out, cumulative);
    out.append("\n");
  }

  append_single(out, "attendance_events_recorded_total", "counter", "Attendance events stored (single and batch endpoints).",
                events_recorded());

  if (const auto& connections = sources.connections) {
    append_single(out, "attendance_http_connections_open", "gauge", "Client connections open.", connections->open);
    append_single(out, "attendance_http_connections_refused_total", "counter",
                  "Connections closed unanswered because --max-connections were open.", connections->refused);
    append_labelled(out, "attendance_http_connections_timed_out_total",
                    "Connections closed by a timeout, by what the server waited for: a request's header (an idle "
                    "kept-alive connection included; --header-timeout), its body, or the client taking an answer "
                    "(--body-timeout).",
                    "phase",
                    {{"header", connections->timed_out_header},
                     {"body", connections->timed_out_body},
                     {"write", connections->timed_out_write}});
  }
  if (const auto& db = sources.database) {
    append_single(out, "attendance_db_reads_total", "counter", "Database read jobs run.", db->reads);
    append_single(out, "attendance_db_writes_total", "counter", "Database write jobs run.", db->writes);
    append_single(out, "attendance_db_commits_total", "counter", "Database write transactions committed.", db->commits);
    append_single(out, "attendance_db_read_queue", "gauge", "Read jobs waiting for a connection.", db->read_queue);
    append_single(out, "attendance_db_write_queue", "gauge", "Write jobs waiting for their lane.", db->write_queue);
  }
  if (const auto& agg = sources.aggregation) {
    append_labelled(out, "attendance_aggregation_outcomes_total",
                    "Aggregation requests and computations by outcome (see src/aggregate/counters.hpp).", "outcome",
                    {{"request", agg->requests},
                     {"cache_hit", agg->cache_hits},
                     {"merged", agg->merged},
                     {"started", agg->started},
                     {"completed", agg->completed},
                     {"rejected", agg->rejected},
                     {"timed_out", agg->timed_out},
                     {"failed", agg->failed},
                     {"retried", agg->retried}});
    append_single(out, "attendance_aggregate_cache_bytes", "gauge", "Memory held by the aggregate cache.", agg->cache_bytes);
    append_single(out, "attendance_aggregate_cache_days", "gauge", "Day results held by the aggregate cache.", agg->cache_days);
    append_single(out, "attendance_aggregate_cache_schools", "gauge", "Schools with entries in the aggregate cache.",
                  agg->cache_schools);
    append_single(out, "attendance_aggregate_cache_evictions_total", "counter", "Aggregate cache evictions.",
                  agg->cache_evictions);
  }
  if (const auto& streams = sources.streams) {
    append_single(out, "attendance_live_open_streams", "gauge", "Open live event streams.", streams->open);
    append_single(out, "attendance_live_dropped_slow_readers_total", "counter",
                  "Live streams closed because their reader fell behind.", streams->dropped_slow_readers);
  }
  if (sources.rate_limit_buckets) {
    append_single(out, "attendance_rate_limit_buckets", "gauge", "API tokens with a rate-limit bucket.",
                  *sources.rate_limit_buckets);
  }
  if (const auto& cluster = sources.cluster) {
    append_single(out, "attendance_cluster_listening", "gauge",
                  "1 while this process hears the other processes' notices.", std::uint64_t{cluster->listening});
    append_single(out, "attendance_cluster_notices_sent_total", "counter", "Notices sent to the other processes.",
                  cluster->sent);
    append_labelled(out, "attendance_cluster_notices_received_total",
                    "Notices received: from another process (applied), this one (skipped), or unreadable.", "from",
                    {{"peer", cluster->from_peers}, {"self", cluster->from_self}, {"unreadable", cluster->unreadable}});
    append_single(out, "attendance_cluster_reconnects_total", "counter",
                  "Times the listening connection was lost and opened again.", cluster->reconnects);
    append_single(out, "attendance_cluster_notices_dropped_total", "counter",
                  "Notices never sent (queue overflow, refused, or shutdown); a reset notice followed.",
                  cluster->dropped);
  }
  return out;
}

}  // namespace attendance::http
