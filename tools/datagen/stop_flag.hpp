#pragma once
// The process-wide "stop soon" flag set by SIGINT/SIGTERM: loops check it between units of work
// and end cleanly, so the report covers everything done so far.

#include <atomic>

namespace attendance::datagen {

// Installs the handlers (idempotent). A second signal while stopping exits at once (status 130).
void install_stop_handlers();
bool stop_requested();
void request_stop();

}  // namespace attendance::datagen
