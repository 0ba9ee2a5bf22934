#include "http/changes.hpp"

#include "aggregate/service.hpp"
#include "domain/time.hpp"

namespace attendance::http {

void attendance_changed(AppContext& app, const domain::School& school, const domain::Attendance& event) {
  if (app.aggregates) {
    auto day = domain::local_date_of(domain::find_time_zone(school.timezone), event.timestamp);
    app.aggregates->invalidate_day(school.id, day);
  }
}

void school_changed(AppContext& app, domain::Id school_id) {
  if (app.aggregates) app.aggregates->invalidate_school(school_id);
}

}  // namespace attendance::http
