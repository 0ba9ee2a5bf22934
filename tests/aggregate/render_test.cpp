#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "aggregate/report_csv.hpp"
#include "aggregate/report_json.hpp"
#include "domain/time.hpp"

namespace attendance::aggregate {
namespace {

domain::LocalDate day(const char* text) { return domain::parse_date(text).value(); }

Report day_report(bool include_users) {
  Report report;
  report.school_id = 3;
  report.timezone = "Europe/Berlin";
  report.period = domain::PeriodKind::day;
  report.include_users = include_users;
  PeriodReport period;
  period.from = period.to = day("2024-03-06");
  period.school_days = 1;
  period.total = 2;
  period.present = 1;
  period.absent = 1;
  period.checked_in_now = 1;
  if (include_users) {
    period.users.push_back({7, "Ada, \"the\" first", "CARD-7", true, 1, 1, 3600, false});
    period.users.push_back({8, "=cmd", "=HYPERLINK(1)", false, 0, 1, 0, true});
  }
  report.periods.push_back(period);
  return report;
}

TEST(ReportJson, OnePeriodIsFlat) {
  EXPECT_EQ(boost::json::serialize(report_to_json(day_report(false))),
            R"({"school_id":3,"timezone":"Europe/Berlin","period":"day","from":"2024-03-06","to":"2024-03-06",)"
            R"("school_days":1,"total":2,"present":1,"absent":1,"checked_in_now":1})");
}

TEST(ReportJson, UsersOfADayCarrySecondsAndMissingCheckout) {
  const auto json = report_to_json(day_report(true));
  const auto& user = json.at("users").at(1);
  EXPECT_EQ(user.at("user_id").as_int64(), 8);
  EXPECT_EQ(user.at("external_id").as_string(), "=HYPERLINK(1)");  // JSON needs no formula guard
  EXPECT_EQ(user.at("seconds").as_int64(), 0);
  EXPECT_TRUE(user.at("missing_checkout").as_bool());
}

TEST(ReportJson, ASeriesListsItsPeriodsAndOmitsCheckedInNowOutsideToday) {
  Report report = day_report(false);
  report.series = true;
  report.period = domain::PeriodKind::week;
  report.periods.front().checked_in_now.reset();
  report.periods.push_back(report.periods.front());
  const auto json = report_to_json(report);
  ASSERT_EQ(json.at("series").as_array().size(), 2U);
  EXPECT_FALSE(json.at("series").at(0).as_object().contains("checked_in_now"));
  EXPECT_FALSE(json.as_object().contains("total"));
}

TEST(ReportCsv, OneRowPerPeriod) {
  EXPECT_EQ(report_to_csv(day_report(false)),
            "school_id,timezone,period,from,to,school_days,total,present,absent,checked_in_now\r\n"
            "3,Europe/Berlin,day,2024-03-06,2024-03-06,1,2,1,1,1\r\n");
}

TEST(ReportCsv, EveryFormulaLeaderIsPrefixed) {
  Report report = day_report(true);
  auto& users = report.periods.front().users;
  users.clear();
  for (const char* name : {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "Ada", " =1", "'=1"}) {
    users.push_back({1, name, std::nullopt, true, 1, 1, 0, false});
  }
  const std::string prefix = "3,day,2024-03-06,2024-03-06,1,";
  const std::string rest = ",,true,1,1,0,false\r\n";
  EXPECT_EQ(report_to_csv(report),
            "school_id,period,from,to,user_id,name,external_id,present,present_days,school_days,seconds,missing_checkout\r\n" +
                prefix + "'=1+1" + rest + prefix + "'+1" + rest + prefix + "'-1" + rest + prefix + "'@SUM(A1)" + rest +
                prefix + "'\t=1" + rest + prefix + "\"'\r=1\"" + rest + prefix + "Ada" + rest + prefix + " =1" + rest +
                prefix + "'=1" + rest);
}

TEST(ReportCsv, OneRowPerUserQuotedAndFormulaSafe) {
  EXPECT_EQ(report_to_csv(day_report(true)),
            "school_id,period,from,to,user_id,name,external_id,present,present_days,school_days,seconds,missing_checkout\r\n"
            "3,day,2024-03-06,2024-03-06,7,\"Ada, \"\"the\"\" first\",CARD-7,true,1,1,3600,false\r\n"
            "3,day,2024-03-06,2024-03-06,8,'=cmd,'=HYPERLINK(1),false,0,1,0,true\r\n");
}

Report range_report() {
  Report report;
  report.school_id = 3;
  report.timezone = "Europe/Berlin";
  report.period = domain::PeriodKind::range;
  report.include_users = true;
  PeriodReport period;
  period.from = day("2024-02-26");
  period.to = day("2024-03-05");
  period.school_days = 7;
  period.total = 1;
  period.present = 1;
  period.absent = 0;
  period.users.push_back({7, "Ada", std::nullopt, true, 7, 7, 0, false});
  report.periods.push_back(period);
  return report;
}

TEST(ReportJson, ARangeIsOneFlatPeriodWithoutDayFields) {
  EXPECT_EQ(boost::json::serialize(report_to_json(range_report())),
            R"({"school_id":3,"timezone":"Europe/Berlin","period":"range","from":"2024-02-26","to":"2024-03-05",)"
            R"("school_days":7,"total":1,"present":1,"absent":0,)"
            R"("users":[{"user_id":7,"name":"Ada","external_id":null,"present":true,"present_days":7,"school_days":7}]})");
}

TEST(ReportCsv, ARangeNamesItsPeriodRange) {
  EXPECT_EQ(report_to_csv(range_report()),
            "school_id,period,from,to,user_id,name,external_id,present,present_days,school_days\r\n"
            "3,range,2024-02-26,2024-03-05,7,Ada,,true,7,7\r\n");
  Report counts = range_report();
  counts.include_users = false;
  counts.periods[0].checked_in_now = 0;
  EXPECT_EQ(report_to_csv(counts),
            "school_id,timezone,period,from,to,school_days,total,present,absent,checked_in_now\r\n"
            "3,Europe/Berlin,range,2024-02-26,2024-03-05,7,1,1,0,0\r\n");
}

}  // namespace
}  // namespace attendance::aggregate
