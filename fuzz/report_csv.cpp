// The CSV writer of aggregate reports (src/aggregate/report_csv.*), for reports with any school
// time zone and any user names: commas, quotes, CR, LF, tab, formula prefixes, bytes of all kinds.
//
// The output is read back with an RFC 4180 reader. Properties:
// - it is well-formed: every record ends with CRLF, a quote appears only around a whole field
//   (doubled inside it), a line break only inside quotes;
// - every record has the header's number of fields, and there is one record per period (or per
//   user row with include=users);
// - the name, external_id and time zone fields read back as written, one starting with =, +, -, @,
//   tab or CR behind one added quote, so that no field starts with a formula character.

#include <string>
#include <vector>

#include "aggregate/report_csv.hpp"
#include "check.hpp"

namespace {

namespace aggregate = attendance::aggregate;
namespace domain = attendance::domain;
using attendance::fuzz::check;
using Record = std::vector<std::string>;

// RFC 4180 records, or empty when text is not well-formed CSV.
std::optional<std::vector<Record>> read_csv(std::string_view text) {
  std::vector<Record> records;
  Record record;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {  // a quoted field: up to the lone closing quote
      for (++i;; ++i) {
        if (i >= text.size()) return std::nullopt;
        if (text[i] != '"') {
          field += text[i];
        } else if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          ++i;
          break;
        }
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r') {
        if (text[i] == '"' || text[i] == '\n') return std::nullopt;
        field += text[i++];
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
    } else if (text.substr(i, 2) == "\r\n") {
      i += 2;
      records.push_back(std::move(record));
      record.clear();
    } else {
      return std::nullopt;  // text after a closing quote, a bare CR, or no CRLF at the end
    }
  }
  if (!record.empty()) return std::nullopt;
  return records;
}

std::string spreadsheet_safe(std::string name) {
  if (!name.empty() && std::string_view("=+-@\t\r").find(name[0]) != std::string_view::npos) name.insert(0, 1, '\'');
  return name;
}

aggregate::Report report_of(attendance::fuzz::Input& in) {
  aggregate::Report report;
  report.school_id = in.u32();
  report.timezone = in.text(40);
  report.period = static_cast<domain::PeriodKind>(in.byte() % 4);
  report.include_users = in.flag();
  const auto first_day = domain::LocalDate{date::days{in.u16()}};  // 1970 .. 2149
  const std::size_t periods = 1 + in.byte() % 4;
  for (std::size_t p = 0; p < periods; ++p) {
    aggregate::PeriodReport period;
    period.from = first_day + date::days{7 * p};
    period.to = period.from + date::days{in.byte() % 31};
    period.school_days = in.byte();
    period.total = in.u16();
    period.present = in.u16();
    period.absent = in.u16();
    if (in.flag()) period.checked_in_now = in.u16();
    const std::size_t users = in.byte() % 6;
    for (std::size_t u = 0; u < users; ++u) {
      aggregate::UserRow row;
      row.user_id = in.u32();
      row.name = in.text(48);
      if (in.flag()) row.external_id = in.text(24);
      row.present = in.flag();
      row.present_days = in.byte();
      row.school_days = in.byte();
      row.seconds = in.u32();
      row.missing_checkout = in.flag();
      period.users.push_back(std::move(row));
    }
    report.periods.push_back(std::move(period));
  }
  return report;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  attendance::fuzz::Input in(data, size);
  const auto report = report_of(in);
  const auto records = read_csv(aggregate::report_to_csv(report));
  check(records.has_value(), "the CSV is not well-formed RFC 4180");
  check(!records->empty(), "the CSV has no header");
  const std::size_t width = records->front().size();
  for (const auto& record : *records) {
    check(record.size() == width, "a record's field count differs from the header's");
    for (const auto& field : record) {
      check(field.empty() || std::string_view("=+-@\t\r").find(field[0]) == std::string_view::npos,
            "a field starts with a formula character");
    }
  }
  std::size_t expected = 1;
  for (const auto& period : report.periods) expected += report.include_users ? period.users.size() : 1;
  check(records->size() == expected, "the CSV has a record count other than the report's rows");

  std::size_t at = 1;
  for (const auto& period : report.periods) {
    if (!report.include_users) {
      check((*records)[at++][1] == spreadsheet_safe(report.timezone), "a time zone does not read back");
      continue;
    }
    for (const auto& row : period.users) {
      const auto& record = (*records)[at++];
      check(record[5] == spreadsheet_safe(row.name), "a user's name does not read back");
      check(record[6] == spreadsheet_safe(row.external_id.value_or("")), "a user's external_id does not read back");
    }
  }
  return 0;
}
