#include "http/changes.hpp"

#include "aggregate/service.hpp"
#include "domain/time.hpp"
#include "http/live/hub.hpp"
#include "http/live/occupancy.hpp"
#include "http/render.hpp"

namespace attendance::http {

void attendance_changed(AppContext& app, const domain::School& school, const domain::Attendance& event,
                        Change change, const std::string& user_name) {
  if (app.aggregates) {
    auto day = domain::local_date_of(domain::find_time_zone(school.timezone), event.timestamp);
    app.aggregates->invalidate_day(school.id, day);
  }
  if (!app.hub || !app.hub->has_subscribers(school.id)) return;
  auto rendered = to_json(event, school.fever_threshold);
  boost::json::object notice{{"action", change == Change::recorded ? "recorded" : "deleted"},
                             {"attendance", rendered}};
  app.hub->publish(school.id, "attendance", notice);
  if (change == Change::recorded && event.temperature >= school.fever_threshold) {
    rendered["user_name"] = user_name;
    app.hub->publish(school.id, "fever", rendered);
  }
  if (app.occupancy) app.occupancy->refresh(school);
}

void school_changed(AppContext& app, domain::Id school_id) {
  if (app.aggregates) app.aggregates->invalidate_school(school_id);
}

void tokens_changed(AppContext& app) {
  if (app.on_tokens_changed) app.on_tokens_changed();
}

}  // namespace attendance::http
