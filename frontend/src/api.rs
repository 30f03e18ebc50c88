//! One typed async function per REST endpoint the app calls (same origin, `/api/v1/...`).
//!
//! The session is the HttpOnly `clp_session` cookie, sent because every request uses
//! `credentials: same-origin`; `Accept-Language` carries the UI language so the server's
//! problem `detail` texts and emails match it. An error response is decoded into its
//! problem+json body, which pages match on by `code`.

use std::cell::Cell;

use clp_api_types::{
    AccountResponse, ActivationAccepted, ActivationResponse, ActivityResponse, ChangeEmailAccepted,
    ChangeEmailRequest, ChangePasswordRequest, CreateAccountRequest, CreateActivationRequest,
    CreateLegacyAccountRequest, DisableTotpRequest, ErrorCode, PasswordResetAccepted,
    PasswordResetConfirm, PasswordResetRequest, PreviewRequest, PreviewResponse, Problem,
    ProductsResponse, RecoveryCodes, RegistrationRequest, RegistrationResponse, SessionRequest,
    SessionResponse, SessionStatus, TotpConfirmRequest, TotpEnrolment, UpdateProfileRequest,
    VerifyActivationRequest, VerifyActivationResponse, VerifyEmailRequest, XdrStatus,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use web_sys::RequestCredentials;

use crate::i18n::Lang;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The server answered with a problem+json body (or an error status without one, mapped to
    /// the closest code).
    Problem(Problem),
    /// No usable answer: offline, DNS, connection reset, or a body that could not be read.
    Network(String),
}

impl ApiFailure {
    /// The problem code, when the server answered with one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiFailure::Problem(problem) => Some(problem.code),
            ApiFailure::Network(_) => None,
        }
    }
}

/// What every call returns.
pub type ApiResult<T> = Result<T, ApiFailure>;

thread_local! {
    static LANGUAGE: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Sets the language sent as `Accept-Language` from now on.
pub fn set_language(lang: Lang) {
    LANGUAGE.with(|cell| cell.set(lang));
}

fn prepare(builder: RequestBuilder) -> RequestBuilder {
    let lang = LANGUAGE.with(Cell::get);
    builder
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json, application/problem+json")
        .header("Accept-Language", lang.code())
}

async fn send(request: Result<Request, gloo_net::Error>) -> ApiResult<Response> {
    let request = request.map_err(|e| ApiFailure::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(problem_of(response).await)
    }
}

/// Decodes an error response; a body that is not problem+json (a proxy's HTML page, say)
/// becomes the code that matches its status.
async fn problem_of(response: Response) -> ApiFailure {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => ApiFailure::Problem(problem),
        Err(_) => {
            let code = match status {
                400 => ErrorCode::BadRequest,
                401 => ErrorCode::Unauthorized,
                403 => ErrorCode::Forbidden,
                404 => ErrorCode::NotFound,
                409 => ErrorCode::Conflict,
                410 => ErrorCode::VerificationExpired,
                422 => ErrorCode::ValidationFailed,
                429 => ErrorCode::RateLimited,
                502..=504 => ErrorCode::Unavailable,
                _ => ErrorCode::Internal,
            };
            ApiFailure::Problem(Problem::new(code, String::new()).with_status(status))
        }
    }
}

async fn json_of<T: DeserializeOwned>(response: Response) -> ApiResult<T> {
    response
        .json::<T>()
        .await
        .map_err(|e| ApiFailure::Network(e.to_string()))
}

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    json_of(send(prepare(Request::get(url)).build()).await?).await
}

async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> ApiResult<T> {
    json_of(send(prepare(Request::post(url)).json(body)).await?).await
}

/// `POST /api/v1/preview`: the order of a key (conflicts evaluated when signed in).
pub async fn preview(key: &str) -> ApiResult<PreviewResponse> {
    post(
        "/api/v1/preview",
        &PreviewRequest {
            key: key.to_owned(),
        },
    )
    .await
}

/// `POST /api/v1/accounts`: the simplified sign-up.
pub async fn create_account(body: &CreateAccountRequest) -> ApiResult<AccountResponse> {
    post("/api/v1/accounts", body).await
}

/// `POST /api/v1/accounts/legacy`: the long registration form.
pub async fn create_legacy_account(
    body: &CreateLegacyAccountRequest,
) -> ApiResult<AccountResponse> {
    post("/api/v1/accounts/legacy", body).await
}

/// `POST /api/v1/accounts/verify-email`: confirm the email address of a new account with the
/// token of the link emailed at sign-up; the account comes back with `email_verified: true`.
pub async fn verify_email(token: &str) -> ApiResult<AccountResponse> {
    let body = VerifyEmailRequest {
        token: token.to_owned(),
    };
    post("/api/v1/accounts/verify-email", &body).await
}

/// `POST /api/v1/session`: sign in (sets the session cookie); `otp` is the second factor of an
/// account with two-factor sign-in (a TOTP code or a recovery code).
pub async fn sign_in(login: &str, password: &str, otp: Option<&str>) -> ApiResult<SessionResponse> {
    let body = SessionRequest {
        login: login.to_owned(),
        password: password.to_owned(),
        otp: otp.map(str::to_owned),
    };
    post("/api/v1/session", &body).await
}

/// `DELETE /api/v1/session`: sign out (clears the session cookie).
pub async fn sign_out() -> ApiResult<()> {
    send(prepare(Request::delete("/api/v1/session")).build())
        .await
        .map(|_| ())
}

/// `GET /api/v1/session`: the signed-in account, or `None` when signed out. Never a 401, so an
/// anonymous page load logs no error in the browser's console.
pub async fn session_status() -> ApiResult<Option<AccountResponse>> {
    match get::<SessionStatus>("/api/v1/session").await {
        Ok(status) => Ok(status.account.filter(|_| status.signed_in)),
        // A server older than `GET /session`: ask `GET /me`, whose 401 means signed out.
        Err(ApiFailure::Problem(problem)) if problem.status == 404 || problem.status == 405 => {
            match me().await {
                Ok(account) => Ok(Some(account)),
                Err(ApiFailure::Problem(problem)) if problem.status == 401 => Ok(None),
                Err(failure) => Err(failure),
            }
        }
        Err(failure) => Err(failure),
    }
}

/// `POST /api/v1/activations`: request the activation of a whole order (account-based flow).
pub async fn create_activation(body: &CreateActivationRequest) -> ApiResult<ActivationAccepted> {
    post("/api/v1/activations", body).await
}

/// `POST /api/v1/activations/verify`: complete an activation with the emailed token.
pub async fn verify_activation(token: &str) -> ApiResult<VerifyActivationResponse> {
    let body = VerifyActivationRequest {
        token: token.to_owned(),
    };
    post("/api/v1/activations/verify", &body).await
}

/// `GET /api/v1/activations/{id}`: the status of one of the account's activations.
pub async fn get_activation(id: Uuid) -> ApiResult<ActivationResponse> {
    get(&format!("/api/v1/activations/{id}")).await
}

/// `POST /api/v1/registrations`: register one line at once (legacy flow).
pub async fn register(key: &str) -> ApiResult<RegistrationResponse> {
    post(
        "/api/v1/registrations",
        &RegistrationRequest {
            key: key.to_owned(),
        },
    )
    .await
}

/// `GET /api/v1/me/products`: every product and service of the account.
pub async fn my_products() -> ApiResult<ProductsResponse> {
    get("/api/v1/me/products").await
}

/// `GET /api/v1/me/xdr`: the account's Trend Micro XDR status.
pub async fn my_xdr() -> ApiResult<XdrStatus> {
    get("/api/v1/me/xdr").await
}

// ---------------------------------------------------------------------------------------------
// The account's lifecycle (issue 15): password reset, profile, password, email, two-factor.

async fn send_json<B: Serialize>(builder: RequestBuilder, body: &B) -> ApiResult<Response> {
    send(prepare(builder).json(body)).await
}

/// `POST /api/v1/password-resets`: emails a reset link if an account has this address (the
/// answer is the same either way).
pub async fn request_password_reset(email: &str) -> ApiResult<PasswordResetAccepted> {
    let body = PasswordResetRequest {
        email: email.to_owned(),
    };
    post("/api/v1/password-resets", &body).await
}

/// `POST /api/v1/password-resets/confirm`: sets a new password with the emailed link's token.
pub async fn confirm_password_reset(token: &str, new_password: &str) -> ApiResult<()> {
    let body = PasswordResetConfirm {
        token: token.to_owned(),
        new_password: new_password.to_owned(),
    };
    send_json(Request::post("/api/v1/password-resets/confirm"), &body)
        .await
        .map(|_| ())
}

/// `GET /api/v1/me`: the signed-in account's profile.
pub async fn me() -> ApiResult<AccountResponse> {
    get("/api/v1/me").await
}

/// `PATCH /api/v1/me`: changes the profile; the account comes back as stored.
pub async fn update_profile(body: &UpdateProfileRequest) -> ApiResult<AccountResponse> {
    json_of(send_json(Request::patch("/api/v1/me"), body).await?).await
}

/// `POST /api/v1/me/password`: changes the password (other sessions end).
pub async fn change_password(current_password: &str, new_password: &str) -> ApiResult<()> {
    let body = ChangePasswordRequest {
        current_password: current_password.to_owned(),
        new_password: new_password.to_owned(),
    };
    send_json(Request::post("/api/v1/me/password"), &body)
        .await
        .map(|_| ())
}

/// `POST /api/v1/me/email`: asks to change the email; a link goes to the new address.
pub async fn change_email(new_email: &str, password: &str) -> ApiResult<ChangeEmailAccepted> {
    let body = ChangeEmailRequest {
        new_email: new_email.to_owned(),
        password: password.to_owned(),
    };
    post("/api/v1/me/email", &body).await
}

/// `GET /api/v1/me/activity`: what happened on the account, newest first.
pub async fn my_activity() -> ApiResult<ActivityResponse> {
    get("/api/v1/me/activity").await
}

/// `POST /api/v1/me/mfa/totp`: a new TOTP secret, active once confirmed.
pub async fn enrol_totp() -> ApiResult<TotpEnrolment> {
    json_of(send(prepare(Request::post("/api/v1/me/mfa/totp")).build()).await?).await
}

/// `POST /api/v1/me/mfa/totp/confirm`: turns two-factor sign-in on with a first code; the
/// recovery codes come back this once.
pub async fn confirm_totp(code: &str) -> ApiResult<RecoveryCodes> {
    let body = TotpConfirmRequest {
        code: code.to_owned(),
    };
    post("/api/v1/me/mfa/totp/confirm", &body).await
}

/// `DELETE /api/v1/me/mfa/totp`: turns two-factor sign-in off (password and a code).
pub async fn disable_totp(password: &str, code: &str) -> ApiResult<()> {
    let body = DisableTotpRequest {
        password: password.to_owned(),
        code: code.to_owned(),
    };
    send_json(Request::delete("/api/v1/me/mfa/totp"), &body)
        .await
        .map(|_| ())
}

/// `POST /api/v1/activations/{id}/resend`: a fresh verification link to the same address; the
/// new expiry when the server tells it.
pub async fn resend_activation(id: Uuid) -> ApiResult<Option<ActivationAccepted>> {
    let response =
        send(prepare(Request::post(&format!("/api/v1/activations/{id}/resend"))).build()).await?;
    Ok(response.json::<ActivationAccepted>().await.ok())
}

/// `DELETE /api/v1/activations/{id}`: cancels a pending activation (to use another email).
pub async fn cancel_activation(id: Uuid) -> ApiResult<()> {
    send(prepare(Request::delete(&format!("/api/v1/activations/{id}"))).build())
        .await
        .map(|_| ())
}
