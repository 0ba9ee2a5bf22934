// The head the server writes must be the bytes Beast's serializer would have sent: clients parse
// them, and a field lost or reordered here would silently change every answer.
#include "http/response_head.hpp"

#include <string>

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

namespace attendance::http {
namespace {

// What Beast writes for the response's header alone.
std::string beast_head(Response response) {
  beast_http::response_serializer<beast_http::string_body> serializer{response};
  boost::beast::error_code error;
  // Split: the serializer stops after the header, as async_write_header does.
  serializer.split(true);
  std::string head;
  do {
    serializer.next(error, [&](boost::beast::error_code&, const auto& buffers) {
      for (auto buffer : boost::beast::buffers_range_ref(buffers)) head.append(static_cast<const char*>(buffer.data()), buffer.size());
      serializer.consume(boost::beast::buffer_bytes(buffers));
    });
  } while (!error && !serializer.is_header_done());
  EXPECT_FALSE(error) << error.message();
  return head;
}

TEST(ResponseHead, IsBeastsHeaderOfAnApiAnswer) {
  Response res{Status::ok, 11};
  res.set(beast_http::field::date, "Thu, 03 Dec 2026 16:31:43 GMT");
  res.set("x-request-id", "fc0dfb1500120f06");
  res.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
  res.set(beast_http::field::content_type, "application/json; charset=utf-8");
  res.body() = R"({"data":{"id":5}})";
  res.prepare_payload();
  EXPECT_EQ(response_head(res), beast_head(res));
  EXPECT_EQ(response_head(res),
            "HTTP/1.1 200 OK\r\nDate: Thu, 03 Dec 2026 16:31:43 GMT\r\nx-request-id: fc0dfb1500120f06\r\n"
            "content-security-policy: default-src 'none'; frame-ancestors 'none'\r\n"
            "Content-Type: application/json; charset=utf-8\r\nContent-Length: 17\r\n\r\n");
}

TEST(ResponseHead, KeepsRepeatedFieldsAndTheirOrder) {
  Response res{Status::unauthorized, 11};
  res.insert(beast_http::field::www_authenticate, "Bearer");
  res.insert("x-b", "2");
  res.insert(beast_http::field::www_authenticate, "Basic");
  res.keep_alive(false);
  res.prepare_payload();
  EXPECT_EQ(response_head(res), beast_head(res));
}

TEST(ResponseHead, WritesHttp10AndOtherStatuses) {
  for (auto status : {Status::no_content, Status::too_many_requests, Status::service_unavailable, Status::continue_}) {
    Response res{status, 10};
    res.keep_alive(true);
    EXPECT_EQ(response_head(res), beast_head(res)) << static_cast<int>(status);
  }
  Response custom{Status::ok, 11};
  custom.reason("Fine");
  EXPECT_EQ(response_head(custom), "HTTP/1.1 200 Fine\r\n\r\n");
}

}  // namespace
}  // namespace attendance::http
