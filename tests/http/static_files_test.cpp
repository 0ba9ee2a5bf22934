#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include "http_support.hpp"

namespace attendance::http {
namespace {

namespace fs = std::filesystem;
using testing::TestRequest;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("attendance-web-" + std::to_string(std::random_device{}()));
    fs::create_directories(root_ / "assets");
    write("index.html", "<!doctype html><title>Attendance</title>");
    write("assets/app-1234.js", "console.log('app');");
    write("favicon.svg", "<svg/>");
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(root_ / name) << text; }

  std::optional<Response> get(const StaticFiles& files, std::string_view target) {
    TestRequest t(target);
    return files.serve(t.req);
  }

  fs::path root_;
};

void expect_page_security_headers(const Response& res) {
  EXPECT_NE(res["content-security-policy"].find("default-src 'self'"), std::string_view::npos);
  EXPECT_NE(res["content-security-policy"].find("frame-ancestors 'none'"), std::string_view::npos);
  EXPECT_EQ(res["x-content-type-options"], "nosniff");
  EXPECT_EQ(res["x-frame-options"], "DENY");
  EXPECT_EQ(res["referrer-policy"], "no-referrer");
}

TEST_F(StaticFilesTest, ServesIndexAtTheRoot) {
  StaticFiles files(root_.string());
  EXPECT_EQ(files.size(), 3U);
  auto res = get(files, "/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), Status::ok);
  EXPECT_EQ(res->body(), "<!doctype html><title>Attendance</title>");
  EXPECT_EQ((*res)[beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*res)[beast_http::field::cache_control], "no-cache");
  expect_page_security_headers(*res);
}

TEST_F(StaticFilesTest, ServesAssetsWithTheirTypeAndAsImmutable) {
  StaticFiles files(root_.string());
  auto res = get(files, "/assets/app-1234.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "console.log('app');");
  EXPECT_EQ((*res)[beast_http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_NE((*res)[beast_http::field::cache_control].find("immutable"), std::string_view::npos);
  expect_page_security_headers(*res);
  auto svg = get(files, "/favicon.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ((*svg)[beast_http::field::content_type], "image/svg+xml");
}

TEST_F(StaticFilesTest, ThePagesOwnRoutesGetIndex) {
  StaticFiles files(root_.string());
  for (const char* path : {"/schools/3", "/students/12?day=2024-03-06", "/index.html"}) {
    auto res = get(files, path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->body(), "<!doctype html><title>Attendance</title>") << path;
  }
}

TEST_F(StaticFilesTest, AMissingAssetIsNotServed) {
  StaticFiles files(root_.string());
  EXPECT_FALSE(get(files, "/assets/missing.js"));
}

TEST_F(StaticFilesTest, NothingOutsideTheRootIsReachable) {
  write("../outside-secret.txt", "secret");
  StaticFiles files(root_.string());
  for (const char* path : {"/../outside-secret.txt", "/assets/../../outside-secret.txt", "/%2e%2e/outside-secret.txt"}) {
    auto res = get(files, path);
    if (res) {
      EXPECT_EQ(res->body().find("secret"), std::string::npos) << path;
    }
  }
  fs::remove(root_.parent_path() / "outside-secret.txt");
}

TEST(StaticFiles, AnAbsentRootServesNothing) {
  StaticFiles files("/nonexistent/attendance/web");
  EXPECT_TRUE(files.empty());
  TestRequest t("/");
  EXPECT_FALSE(files.serve(t.req));
}

}  // namespace
}  // namespace attendance::http
