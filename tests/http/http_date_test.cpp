#include "http/http_date.hpp"

#include <regex>
#include <string>

#include <date/date.h>
#include <gtest/gtest.h>

namespace attendance::http {
namespace {

using namespace std::chrono_literals;
using date::sys_days;

TEST(HttpDate, IsTheImfFixdateOfTheInstantToTheSecond) {
  EXPECT_EQ(imf_fixdate(sys_days{date::year{2026} / date::December / 2} + 5h + 31min + 999ms).view(),
            "Wed, 02 Dec 2026 05:31:00 GMT");
}

TEST(HttpDate, PadsDaysAndTimesAndNamesEveryWeekday) {
  EXPECT_EQ(imf_fixdate(sys_days{date::year{1994} / date::November / 6} + 8h + 49min + 37s).view(),
            "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's own example
  EXPECT_EQ(imf_fixdate(sys_days{date::year{2000} / date::January / 1}).view(), "Sat, 01 Jan 2000 00:00:00 GMT");
  EXPECT_EQ(imf_fixdate(sys_days{date::year{2024} / date::February / 29} + 23h + 59min + 59s).view(),
            "Thu, 29 Feb 2024 23:59:59 GMT");
  EXPECT_EQ(imf_fixdate(sys_days{date::year{2026} / date::July / 20} + 12h).view(), "Mon, 20 Jul 2026 12:00:00 GMT");
  EXPECT_EQ(imf_fixdate(sys_days{date::year{2026} / date::September / 15}).view(), "Tue, 15 Sep 2026 00:00:00 GMT");
  EXPECT_EQ(imf_fixdate(sys_days{date::year{2026} / date::October / 9}).view(), "Fri, 09 Oct 2026 00:00:00 GMT");
}

TEST(HttpDate, NamesEveryMonth) {
  const char* const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned m = 1; m <= 12; ++m) {
    const auto text = imf_fixdate(sys_days{date::year{2026} / date::month{m} / 1});
    EXPECT_EQ(text.view().substr(8, 3), names[m - 1]) << text.view();
  }
}

TEST(HttpDate, CurrentIsNowToTheSecond) {
  const auto before = imf_fixdate(std::chrono::system_clock::now());
  const std::string current(current_http_date());
  const auto after = imf_fixdate(std::chrono::system_clock::now());
  EXPECT_TRUE(current == before.view() || current == after.view()) << current;
  EXPECT_TRUE(std::regex_match(current, std::regex(R"(^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$)")));
  EXPECT_EQ(current_http_date(), current_http_date());
}

}  // namespace
}  // namespace attendance::http
