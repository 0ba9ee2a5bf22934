// The Server-Sent Events writer of live streams (src/http/live/hub.*, src/http/json_text.*): what
// a dashboard's EventSource reads, through the real publish path (Hub::publish into a
// subscription's queue, taken out as the stream would send it).
//
// The first byte picks the event: any JSON value parsed from the rest (`attendance`), a fever
// notice carrying a user's name made of arbitrary bytes (`fever`), or an occupancy count.
// Properties:
// - a frame is exactly "event: NAME\ndata: LINE\n\n": LINE holds no CR or LF, so EventSource
//   never splits one event's data or starts a forged one;
// - LINE parses as JSON equal to what was published (doubles up to Boost.JSON 1.81's reading
//   error, see json_compare.hpp);
// - an occupancy count is sent when it differs from the stream's last one, and only then.

#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include <cmath>
#include <string>

#include "check.hpp"
#include "json_compare.hpp"
#include "http/live/hub.hpp"
#include "http/render.hpp"

namespace {

namespace json = boost::json;
namespace domain = attendance::domain;
namespace live = attendance::http::live;
using attendance::fuzz::check;

constexpr domain::Id kSchool = 7;
constexpr domain::Id kToken = 3;

struct Stream {
  boost::asio::io_context io;
  live::Hub hub;
  std::shared_ptr<live::Subscription> subscription = hub.subscribe(io.get_executor(), kSchool, kToken);
};

Stream& stream() {
  static Stream s;
  return s;
}

// The next queued frame, or empty when nothing was queued.
std::optional<std::string> next_frame() {
  std::optional<std::string> frame;
  stream().subscription->channel().try_receive([&](boost::system::error_code, std::string message) {
    frame = std::move(message);
  });
  return frame;
}

// The data line of a frame of `event`, checked for its shape.
std::string data_line(const std::string& frame, std::string_view event) {
  const std::string head = "event: " + std::string(event) + "\ndata: ";
  check(frame.starts_with(head) && frame.ends_with("\n\n"), "an SSE frame is not event, data, blank line");
  const std::string line = frame.substr(head.size(), frame.size() - head.size() - 2);
  check(line.find_first_of("\r\n") == std::string::npos, "an SSE data line holds a line break");
  return line;
}

bool all_finite(const json::value& value) {
  if (value.is_double()) return std::isfinite(value.get_double());
  if (value.is_array()) {
    for (const auto& item : value.get_array()) if (!all_finite(item)) return false;
  }
  if (value.is_object()) {
    for (const auto& member : value.get_object()) if (!all_finite(member.value())) return false;
  }
  return true;
}

void publish_json(std::string_view text) {
  boost::system::error_code error;
  const auto value = json::parse(text, error);
  if (error || !all_finite(value)) return;  // the service publishes only records it rendered
  stream().hub.publish(kSchool, "attendance", value);
  const auto frame = next_frame();
  check(frame.has_value(), "a published event was not queued");
  const auto back = json::parse(data_line(*frame, "attendance"), error);
  check(!error && attendance::fuzz::same_json(value, back), "an SSE data line does not parse back to the published value");
}

void publish_fever(attendance::fuzz::Input& in) {
  domain::Attendance event;
  event.id = in.u32();
  event.temperature = 38.0 + in.byte() / 10.0;
  auto rendered = attendance::http::to_json(event, 38.0);
  const std::string name = in.text(200);
  rendered["user_name"] = name;
  stream().hub.publish(kSchool, "fever", rendered);
  const auto frame = next_frame();
  check(frame.has_value(), "a published event was not queued");
  boost::system::error_code error;
  const auto back = json::parse(data_line(*frame, "fever"), error);
  // A name that is not UTF-8 can't come from a JSON request body; it must still not break the frame.
  if (!error) check(back.at("user_name") == json::value(name), "a user's name does not read back");
}

void publish_occupancy(attendance::fuzz::Input& in) {
  const std::int64_t count = in.u16();
  const bool repeat = in.flag();
  static std::int64_t last_sent = -1;
  stream().hub.publish_occupancy(kSchool, count);
  const auto frame = next_frame();
  check(frame.has_value() == (count != last_sent), "an occupancy count was sent again, or a new one was not");
  last_sent = count;
  if (frame) {
    boost::system::error_code error;
    const auto back = json::parse(data_line(*frame, "occupancy"), error);
    check(!error && back == json::value(live::occupancy_json(kSchool, count)), "an occupancy frame reads otherwise");
  }
  if (repeat) {
    stream().hub.publish_occupancy(kSchool, count);
    check(!next_frame().has_value(), "a repeated occupancy count was sent again");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  attendance::fuzz::Input in(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: publish_json(attendance::fuzz::as_text(data + 1, size - 1)); break;
    case 1: publish_fever(in); break;
    default: publish_occupancy(in); break;
  }
  return 0;
}
