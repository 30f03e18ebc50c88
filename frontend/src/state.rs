//! App-wide state shared through context: the UI language, the session and the polite
//! announcer for screen readers.

use clp_api_types::AccountResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{Catalog as _, Lang, Messages};

/// Where the chosen language is remembered.
const LANG_STORAGE_KEY: &str = "clp.lang";

/// The UI language; `m()` is the catalog of the current language (reactive).
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The current language (reactive).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The catalog of the current language (reactive).
    pub fn m(&self) -> &'static Messages {
        self.lang.get().messages()
    }

    /// A text of the catalog that follows the language.
    pub fn text(self, pick: fn(&Messages) -> &'static str) -> Signal<&'static str> {
        Signal::derive(move || pick(self.m()))
    }

    /// A text made from the catalog and the language (a formatted or parameterised text).
    ///
    /// Returned as a `Signal` so every use shares the rendering code: this keeps the wasm small.
    pub fn fmt(
        self,
        make: impl Fn(&'static Messages, Lang) -> String + Send + Sync + 'static,
    ) -> Signal<String> {
        Signal::derive(move || {
            let lang = self.lang();
            make(lang.messages(), lang)
        })
    }

    /// A text of the catalog chosen by a closure (e.g. by a code or a state).
    pub fn pick(
        self,
        choose: impl Fn(&'static Messages) -> &'static str + Send + Sync + 'static,
    ) -> Signal<&'static str> {
        Signal::derive(move || choose(self.m()))
    }

    /// Switches the language and remembers the choice in `localStorage`.
    pub fn set(&self, lang: Lang) {
        if let Ok(Some(storage)) = window().local_storage() {
            // Remembering is a convenience: a full or disabled storage changes nothing else.
            let _ = storage.set_item(LANG_STORAGE_KEY, lang.code());
        }
        self.lang.set(lang);
    }
}

/// The remembered language, else the browser's first supported preference, else English.
fn initial_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(LANG_STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_tag(&code));
    stored.unwrap_or_else(|| {
        let preferred: Vec<String> = window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect();
        Lang::from_preferences(preferred.iter().map(String::as_str))
    })
}

/// Creates the language state, keeps `<html lang>`, the title and `Accept-Language` in step.
pub fn provide_i18n() -> I18n {
    let lang = initial_lang();
    api::set_language(lang);
    let i18n = I18n {
        lang: RwSignal::new(lang),
    };
    Effect::new(move |_| {
        let lang = i18n.lang();
        api::set_language(lang);
        let document = document();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        document.set_title(lang.messages().doc_title);
    });
    provide_context(i18n);
    i18n
}

/// The language state of the app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A catalog text that follows the language: `t!(i18n, key_label)`.
///
/// Every use shares one closure type (a function pointer picks the field), so the many texts of
/// the app do not each instantiate the rendering code: this keeps the wasm small.
#[macro_export]
macro_rules! t {
    ($i18n:expr, $field:ident) => {
        $i18n.text(|m| m.$field)
    };
}

/// Whether someone is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// `GET /api/v1/session` has not answered yet.
    Unknown,
    /// No session.
    SignedOut,
    /// The signed-in account.
    SignedIn(Box<AccountResponse>),
}

/// The session of the app (from the `clp_session` cookie, asked with `GET /api/v1/session`,
/// which never answers 401: an anonymous page load logs no error).
#[derive(Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
    /// `DELETE /api/v1/session`, then signed out here whatever the server said.
    sign_out: Action<(), ()>,
}

impl Session {
    /// The current state (reactive).
    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// The signed-in account, if any (reactive).
    pub fn account(&self) -> Option<AccountResponse> {
        self.state.with(|state| match state {
            SessionState::SignedIn(account) => Some(account.as_ref().clone()),
            _ => None,
        })
    }

    /// Whether `GET /api/v1/session` has answered (reactive).
    pub fn is_known(&self) -> bool {
        self.state.with(|state| *state != SessionState::Unknown)
    }

    /// Records a successful sign-in.
    pub fn signed_in(&self, account: AccountResponse) {
        self.state.set(SessionState::SignedIn(Box::new(account)));
    }

    /// Asks the server who is signed in.
    pub fn refresh(&self) {
        let state = self.state;
        // A question, not a submission: nothing is sent on the customer's behalf and no button
        // waits for it (`Unknown` is the state until it answers), so no `Action`. Nor a
        // resource: its answer is the session state, which signing in and out write too.
        spawn_local(async move {
            let next = match api::session_status().await {
                Ok(Some(account)) => SessionState::SignedIn(Box::new(account)),
                // A failure to ask is shown as signed out: signing in again is the remedy.
                Ok(None) | Err(_) => SessionState::SignedOut,
            };
            state.set(next);
        });
    }

    /// Ends the session on the server and here.
    pub fn sign_out(&self) {
        self.sign_out.dispatch(());
    }
}

/// Creates the session state and asks the server once.
pub fn provide_session() -> Session {
    let state = RwSignal::new(SessionState::Unknown);
    let sign_out = Action::new_local(move |_: &()| async move {
        // Whatever the server says, the app stops showing the account.
        let _ = api::sign_out().await;
        state.set(SessionState::SignedOut);
    });
    let session = Session { state, sign_out };
    session.refresh();
    provide_context(session);
    session
}

/// The session of the app.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The text of the app's polite live region (`role="status"`).
#[derive(Debug, Clone, Copy)]
pub struct Announcer {
    message: RwSignal<String>,
}

impl Announcer {
    /// Says `text` politely; the region is cleared first so a repeated text is announced again.
    pub fn say(&self, text: String) {
        let message = self.message;
        message.set(String::new());
        request_animation_frame(move || message.set(text));
    }

    /// The current text (reactive).
    pub fn message(&self) -> String {
        self.message.get()
    }
}

/// Creates the announcer.
pub fn provide_announcer() -> Announcer {
    let announcer = Announcer {
        message: RwSignal::new(String::new()),
    };
    provide_context(announcer);
    announcer
}

/// The app's announcer.
pub fn use_announcer() -> Announcer {
    expect_context::<Announcer>()
}
