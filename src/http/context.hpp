#pragma once
// What handlers reach beyond the request: built once by the composition root (src/app).

#include <atomic>
#include <cstddef>

namespace attendance::storage {
class Database;
}
namespace attendance::aggregate {
class Service;
}

namespace attendance::http {

enum class Mode { dev, prod };

struct AppContext {
  storage::Database& db;
  aggregate::Service* aggregates = nullptr;  // null in tests that don't need the engine
  Mode mode = Mode::prod;
  std::size_t max_page_size = 1000;

  bool dev_mode() const { return mode == Mode::dev; }
};

}  // namespace attendance::http
