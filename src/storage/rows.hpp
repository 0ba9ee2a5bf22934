#pragma once
// Column lists and row readers of each table, shared by the repositories. A row reader binds
// explicit variables (long long for every integer, indicators for every nullable column) so both
// SOCI backends convert the same way.

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include <soci/soci.h>

#include "domain/types.hpp"
#include "storage/sql.hpp"
#include "storage/scan.hpp"

namespace attendance::storage::rows {

constexpr std::string_view kSchoolColumns =
    "id, name, timezone, school_days, min_daily_hours, min_period_ratio, fever_threshold, "
    "@ts(inserted_at), @ts(updated_at)";

struct SchoolRow {
  long long id = 0, inserted_at = 0, updated_at = 0;
  std::string name, timezone, school_days;
  double min_daily_hours = 0, min_period_ratio = 0, fever_threshold = 0;
  void bind(soci::statement& st);
  domain::School value() const;
};

constexpr std::string_view kClosureColumns = "school_id, @date(\"date\"), reason";

struct ClosureRow {
  long long school_id = 0;
  std::string date, reason;
  void bind(soci::statement& st);
  domain::Closure value() const;
};

constexpr std::string_view kUserColumns =
    "id, school_id, name, external_id, @date(enrolled_on), @ts(inserted_at), @ts(updated_at)";

struct UserRow {
  long long id = 0, school_id = 0, inserted_at = 0, updated_at = 0;
  std::string name, external_id, enrolled_on;
  soci::indicator external_id_ind = soci::i_null;
  void bind(soci::statement& st);
  domain::User value() const;
};

constexpr std::string_view kAttendanceColumns =
    "id, user_id, school_id, @ts(\"timestamp\"), type, temperature, image_hash, client_id, @ts(inserted_at)";
// The columns a query may select after them start here.
constexpr int kAttendanceColumnCount = static_cast<int>(std::ranges::count(kAttendanceColumns, ',')) + 1;
static_assert(kAttendanceColumnCount == 9);

struct AttendanceRow {
  long long id = 0, user_id = 0, school_id = 0, timestamp = 0, inserted_at = 0;
  std::string type, image_hash, client_id;
  double temperature = 0;
  soci::indicator image_hash_ind = soci::i_null, client_id_ind = soci::i_null;
  void bind(soci::statement& st);
  domain::Attendance value() const;
  // The same from a row of a scan of kAttendanceColumns, straight from the database client's
  // memory, into an existing Attendance, whose strings keep their memory: a scan of many rows
  // reuses one.
  static void read(const scan::Columns& row, domain::Attendance& a);
};

constexpr std::string_view kTokenColumns = "id, name, role, school_id, @ts(inserted_at), @ts(revoked_at)";

struct TokenRow {
  long long id = 0, school_id = 0, inserted_at = 0, revoked_at = 0;
  std::string name, role;
  soci::indicator school_id_ind = soci::i_null, revoked_at_ind = soci::i_null;
  void bind(soci::statement& st);
  domain::ApiToken value() const;
};

// A column list with every column prefixed by a table alias, for joins:
// qualified("id, @ts(inserted_at)", "u") is "u.id, @ts(u.inserted_at)".
std::string qualified(std::string_view columns, std::string_view alias);

// A user joined with the user's school.
struct UserWithSchoolRow {
  UserRow user;
  SchoolRow school;
  void bind(soci::statement& st) {
    user.bind(st);
    school.bind(st);
  }
  std::pair<domain::User, domain::School> value() const { return {user.value(), school.value()}; }
};

// "1,2,3,4,5" <-> {1, 2, 3, 4, 5}: how both backends keep school_days.
std::string text_of_days(const std::vector<int>& days);
std::vector<int> days_of_text(const std::string& text);

}  // namespace attendance::storage::rows
