#include "aggregate/aggregation.hpp"

#include "domain/time.hpp"

namespace attendance::aggregate {

Aggregation::Aggregation(AggregationOptions options, std::unique_ptr<Loader> loader, Service::Clock clock)
    : loader_(std::move(loader)),
      pool_(options.threads),
      cache_(options.cache_bytes),
      worker_(*loader_, cache_, pool_, counters_, std::move(options.hooks)),
      supervisor_(options.supervisor, pool_, counters_),
      service_(cache_, supervisor_, worker_, pool_, counters_, std::move(clock)) {}

Aggregation::Aggregation(AggregationOptions options, std::unique_ptr<Loader> loader)
    : Aggregation(std::move(options), std::move(loader), [] { return domain::now(); }) {}

Aggregation::~Aggregation() { stop(); }

void Aggregation::stop() {
  service_.stop();
  supervisor_.stop();
  // Continuations of finished workers may still be queued: nothing may run after the members go.
  pool_.stop();
}

}  // namespace attendance::aggregate
