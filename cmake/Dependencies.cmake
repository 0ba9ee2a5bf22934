# Every dependency comes from a Debian 12 package (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS json url)
find_package(date REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_package(PostgreSQL REQUIRED)
find_package(SQLite3 REQUIRED)

# Debian's SOCI ships no CMake package: find its libraries directly.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)

add_library(attendance_deps INTERFACE)
target_include_directories(attendance_deps SYSTEM INTERFACE ${SOCI_INCLUDE_DIR} ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(attendance_deps INTERFACE
  Boost::headers Boost::json Boost::url
  date::date-tz spdlog::spdlog CLI11::CLI11 PkgConfig::SODIUM
  ${SOCI_SQLITE3_LIBRARY} ${SOCI_POSTGRESQL_LIBRARY} ${SOCI_CORE_LIBRARY}
  PostgreSQL::PostgreSQL SQLite::SQLite3 Threads::Threads ${CMAKE_DL_LIBS})
