#include "http/changes.hpp"

#include "aggregate/service.hpp"
#include "domain/time.hpp"
#include "http/cluster.hpp"
#include "http/live/hub.hpp"
#include "http/live/occupancy.hpp"
#include "http/render.hpp"

namespace attendance::http {

namespace {

void apply(AppContext& app, const AttendanceNotice& notice) {
  if (app.aggregates) app.aggregates->invalidate_day(notice.school_id, notice.day);
  if (!app.hub || !app.hub->has_subscribers(notice.school_id)) return;
  if (!notice.attendance.empty()) {
    boost::json::object message{{"action", notice.change == Change::recorded ? "recorded" : "deleted"},
                                {"attendance", notice.attendance}};
    app.hub->publish(notice.school_id, "attendance", message);
    if (notice.fever_user_name) {
      auto fever = notice.attendance;
      fever["user_name"] = *notice.fever_user_name;
      app.hub->publish(notice.school_id, "fever", fever);
    }
  }
  if (app.occupancy) app.occupancy->refresh(notice.school_id, notice.timezone);
}

void apply(AppContext& app, const SchoolNotice& notice) {
  if (app.aggregates) app.aggregates->invalidate_school(notice.school_id);
}

void apply(AppContext& app, const TokensNotice&) {
  if (app.on_tokens_changed) app.on_tokens_changed();
}

void apply(AppContext& app, const ResetNotice&) {
  if (app.aggregates) app.aggregates->invalidate_all();
  if (app.on_tokens_changed) app.on_tokens_changed();
  if (app.occupancy) app.occupancy->refresh_all();
}

void apply_and_announce(AppContext& app, const Notice& notice) {
  apply_notice(app, notice);
  if (app.cluster) app.cluster->announce(notice);
}

}  // namespace

void attendance_changed(AppContext& app, const domain::School& school, const domain::Attendance& event,
                        Change change, const std::string& user_name) {
  AttendanceNotice notice;
  notice.school_id = school.id;
  notice.timezone = school.timezone;
  notice.day = domain::local_date_of(domain::find_time_zone(school.timezone), event.timestamp);
  notice.change = change;
  // Rendered only when some stream may show it: here, or in another process.
  if (app.cluster || (app.hub && app.hub->has_subscribers(school.id))) {
    notice.attendance = to_json(event, school.fever_threshold);
    if (change == Change::recorded && event.temperature >= school.fever_threshold) notice.fever_user_name = user_name;
  }
  apply_and_announce(app, notice);
}

void attendance_replayed(AppContext& app, const domain::School& school, const domain::Attendance& event) {
  AttendanceNotice notice;  // without the rendered event: nothing is published to streams
  notice.school_id = school.id;
  notice.timezone = school.timezone;
  notice.day = domain::local_date_of(domain::find_time_zone(school.timezone), event.timestamp);
  notice.change = Change::recorded;
  apply_and_announce(app, notice);
}

void school_changed(AppContext& app, domain::Id school_id) { apply_and_announce(app, SchoolNotice{school_id}); }

void tokens_changed(AppContext& app) { apply_and_announce(app, TokensNotice{}); }

void apply_notice(AppContext& app, const Notice& notice) {
  std::visit([&app](const auto& each) { apply(app, each); }, notice);
}

}  // namespace attendance::http
