#include "http/changes.hpp"

namespace attendance::http {

// The aggregate cache is wired here once the engine lands (issue 3).
void attendance_changed(AppContext&, const domain::School&, const domain::Attendance&) {}

void school_changed(AppContext&, domain::Id) {}

}  // namespace attendance::http
