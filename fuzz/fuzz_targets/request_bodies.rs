//! Arbitrary bytes as a JSON body into every request DTO of `clp_api_types`, the way actix's
//! `web::Json` reads them: deserializing never panics, and a body that parses re-serializes to
//! JSON that parses back to the same value and serializes to the same bytes again.

#![no_main]

use std::fmt::Debug;

use clp_api_types::{
    CreateAccountRequest, CreateActivationRequest, CreateLegacyAccountRequest, CreateOrderRequest,
    CreateWebhookRequest, PreviewRequest, RegistrationRequest, SessionRequest, TokenRequest,
    VerifyActivationRequest,
};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Parses `data` as `T`; when that succeeds, checks the serialize/parse round trip.
fn round_trip<T>(data: &[u8])
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let name = std::any::type_name::<T>();
    let json = serde_json::to_vec(&value)
        .unwrap_or_else(|e| panic!("{name} parsed from input does not serialize: {e}"));
    let again: T = serde_json::from_slice(&json).unwrap_or_else(|e| {
        panic!(
            "{name} re-serialized as {} does not parse: {e}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(value, again, "{name} changed in the round trip");
    let json_again = serde_json::to_vec(&again).expect("serialized once already");
    assert_eq!(json, json_again, "{name} serializes unstably");
}

fuzz_target!(|data: &[u8]| {
    round_trip::<CreateOrderRequest>(data);
    round_trip::<CreateActivationRequest>(data);
    round_trip::<PreviewRequest>(data);
    round_trip::<CreateAccountRequest>(data);
    round_trip::<CreateLegacyAccountRequest>(data);
    round_trip::<SessionRequest>(data);
    round_trip::<TokenRequest>(data);
    round_trip::<CreateWebhookRequest>(data);
    round_trip::<RegistrationRequest>(data);
    round_trip::<VerifyActivationRequest>(data);
});
