#pragma once
// The request-body decoders of the handlers that write records: pure functions of the decoded
// JSON object, kept apart from the handlers so they can be fuzzed (fuzz/json_request.cpp). Each
// is defined in its resource's handler file.

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "domain/recording.hpp"
#include "domain/result.hpp"
#include "domain/types.hpp"
#include "http/json_body.hpp"

namespace attendance::http {

// A request to record an event, decoded and checked field by field (attendances.cpp).
struct NewEvent {
  domain::Id user_id = 0;
  std::optional<domain::Id> school_id;
  domain::Candidate candidate{};
  double temperature = 0;
  std::optional<std::string> client_id;
  std::optional<domain::Image> image;
};

// Decodes one event's fields; header_client_id (the Idempotency-Key header) stands in for an
// absent client_id, and a client_id that differs from it is a 422 on client_id. A 422 names
// every invalid field.
domain::Result<NewEvent> parse_new_event(const boost::json::object& object,
                                         std::optional<std::string> header_client_id);

// Copies the settable fields present in the body onto school (PUT and PATCH are both partial);
// a field of the wrong JSON type, or null, adds its error to fields (schools.cpp).
void apply_school_fields(FieldReader& fields, domain::School& school);

// The settable fields of a user body, each empty when absent (users.cpp); null is "can't be
// blank" but for external_id, which null clears. external_id is trimmed (Text::trimmed).
struct UserFields {
  std::optional<std::string> name;
  Nullable<std::string> external_id;
  std::optional<domain::LocalDate> enrolled_on;
  std::optional<domain::Id> school_id;
};

UserFields read_user_fields(FieldReader& fields);

}  // namespace attendance::http
