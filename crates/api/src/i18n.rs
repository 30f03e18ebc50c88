//! English and Japanese: the language of a request (negotiated from `Accept-Language`) and
//! the Japanese texts of the problem bodies.
//!
//! [`negotiate_language`] runs around every request and keeps its [`Lang`] in a task-local,
//! so that [`crate::error::ApiError`] renders every problem body (handler, extractor and
//! middleware errors, the 404 fallback) in that language without each call site passing it:
//! [`Lang::current`] reads it, English outside a request. The `code` never changes with the
//! language; only `title`, `detail` and `errors[].message` do.

use std::future::Future;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use clp_api_types::ErrorCode;

use crate::error::PROBLEM_JSON;

pub use clp_domain::Lang;

tokio::task_local! {
    /// The language of the request being served.
    static REQUEST_LANG: Lang;
}

/// The language of a request: what its `Accept-Language` asks for, and the language of the
/// request being served.
pub trait RequestLang {
    /// The language asked for by the `Accept-Language` headers of a request.
    fn from_headers(headers: &HeaderMap) -> Lang;

    /// The language of the request being served; English outside a request.
    fn current() -> Lang;
}

impl RequestLang for Lang {
    fn from_headers(headers: &HeaderMap) -> Lang {
        let value = headers
            .get_all(header::ACCEPT_LANGUAGE)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Lang::negotiate(&value)
    }

    fn current() -> Lang {
        REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default()
    }
}

/// Runs `future` with `lang` as the [`Lang::current`] language (tests and background work).
pub async fn with_lang<F: Future>(lang: Lang, future: F) -> F::Output {
    REQUEST_LANG.scope(lang, future).await
}

/// Middleware: serves the request in the language of its `Accept-Language` header, and marks
/// every problem body as varying with that header.
///
/// Registered outermost, so that errors rendered by other middleware are localised too.
pub async fn negotiate_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let lang = Lang::from_headers(req.headers());
    let mut res = with_lang(lang, next.call(req)).await?;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        add_vary_accept_language(res.headers_mut());
    }
    Ok(res)
}

/// Adds `Vary: Accept-Language` unless a `Vary` header already names it (or `*`).
pub fn add_vary_accept_language(headers: &mut HeaderMap) {
    let present = headers
        .get_all(header::VARY)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| {
            let v = v.trim();
            v == "*" || v.eq_ignore_ascii_case("accept-language")
        });
    if !present {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
}

/// The problem `title` of `code` in `lang`.
pub const fn title(code: ErrorCode, lang: Lang) -> &'static str {
    match lang {
        Lang::En => code.title(),
        Lang::Ja => title_ja(code),
    }
}

/// The Japanese problem `title` of `code`.
pub const fn title_ja(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::SaasConflict => "このアカウントでは SaaS サービスがすでに有効です",
        ErrorCode::RegionConflict => "XDR リージョンの競合",
        ErrorCode::CrossgradeAccountRequired => "クロスグレードには所有アカウントが必要です",
        ErrorCode::RenewalAccountMismatch => "更新の対象は別のアカウントに登録されています",
        ErrorCode::NothingToActivate => "アクティベートする製品がありません",
        ErrorCode::VerificationExpired => "確認リンクの有効期限切れ",
        ErrorCode::AlreadyRegistered => "登録済みです",
        ErrorCode::WrongFlow => "登録手順が異なります",
        ErrorCode::InvalidKey => "キーが正しくありません",
        ErrorCode::UnknownKey => "登録されていないキー",
        ErrorCode::ValidationFailed => "入力内容に誤りがあります",
        ErrorCode::InvalidCredentials => "ログイン情報が正しくありません",
        ErrorCode::Unauthorized => "認証が必要です",
        ErrorCode::Forbidden => "この操作は許可されていません",
        ErrorCode::NotFound => "見つかりません",
        ErrorCode::AccountExists => "アカウントはすでに存在します",
        ErrorCode::Conflict => "既存のデータと競合しています",
        ErrorCode::IdempotencyMismatch => "Idempotency-Key が別の内容で使用済みです",
        ErrorCode::RateLimited => "リクエストが多すぎます",
        ErrorCode::Unavailable => "サービスを一時的に利用できません",
        ErrorCode::Internal => "サーバー内部エラー",
        ErrorCode::BadRequest => "リクエストを読み取れません",
    }
}

/// The Japanese `detail` of `code` when nothing more specific is known: what happened and
/// what to do about it.
pub const fn remedy_ja(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::SaasConflict => {
            "このアカウントには、この注文の SaaS サービスのインスタンスが別の注文ですでに有効に\
             なっています。1 つのアカウントで保持できるのは SaaS サービスごとに 1 インスタンス\
             のみです。この注文を別のアカウントに登録するか、新しいアカウントを作成してください。"
        }
        ErrorCode::RegionConflict => {
            "この注文が指定する Trend Micro XDR リージョンが、アカウントのリージョンと一致しま\
             せん（アカウントのリージョンは変更できません）。この注文を別のアカウントに登録する\
             か、新しいアカウントを作成してください。"
        }
        ErrorCode::CrossgradeAccountRequired => {
            "この注文はクロスグレードです。この注文が延長するアクティベーションコードを所有する\
             アカウント（メールアドレスは一部を伏せて表示されます）にサインインしてください。"
        }
        ErrorCode::RenewalAccountMismatch => {
            "この更新は、別のアカウントに登録されたアクティベーションコードを延長します。更新は\
             コードを所有するアカウントにのみ登録できます。そのアカウントにサインインしてください。"
        }
        ErrorCode::NothingToActivate => {
            "この注文の製品はすべて登録済みのため、必要な操作はありません。登録済みの製品をご確認\
             ください。"
        }
        ErrorCode::VerificationExpired => {
            "確認リンクの有効期限が切れているため、何もアクティベートされていません。もう一度\
             アクティベーションを開始してください。"
        }
        ErrorCode::AlreadyRegistered => {
            "この製品はすでに登録されています。登録済みの製品をご確認ください。"
        }
        ErrorCode::WrongFlow => {
            "このキーは別のアクティベーション手順で登録する製品のものです。キーに合った手順で\
             登録してください。"
        }
        ErrorCode::InvalidKey => {
            "キーの形式が正しくありません。ライセンス証書に記載されたキーと照らし合わせて、もう\
             一度入力してください。"
        }
        ErrorCode::UnknownKey => {
            "この登録キーに該当する注文明細はありません。ライセンス証書に記載されたキーを確認し、\
             もう一度入力してください。"
        }
        ErrorCode::ValidationFailed => {
            "入力内容に誤りがあります。`errors` の各項目を確認してください。"
        }
        ErrorCode::InvalidCredentials => {
            "ログイン ID またはパスワードが正しくありません。両方を確認して、もう一度お試し\
             ください。"
        }
        ErrorCode::Unauthorized => {
            "サインインするか、有効なベアラートークンを送信してください。セッションの有効期限が\
             切れている可能性があります。"
        }
        ErrorCode::Forbidden => "お使いの認証情報では、この操作は許可されていません。",
        ErrorCode::NotFound => "指定されたリソースは存在しません。",
        ErrorCode::AccountExists => {
            "このメールアドレスまたはログイン ID のアカウントはすでに存在します。そのアカウントに\
             サインインするか、別のメールアドレスで登録してください。"
        }
        ErrorCode::Conflict => {
            "リクエストが既存のデータと競合しています。内容を確認して、もう一度お試しください。"
        }
        ErrorCode::IdempotencyMismatch => {
            "この Idempotency-Key は、別のリクエスト本文ですでに使用されています。新しいリクエスト\
             には新しいキーを指定してください。"
        }
        ErrorCode::RateLimited => "リクエストが多すぎます。しばらく待ってから再試行してください。",
        ErrorCode::Unavailable => {
            "サービスを一時的に利用できません。しばらく待ってから再試行してください。"
        }
        ErrorCode::Internal => {
            "予期しないエラーが発生しました。時間をおいて再試行し、解決しない場合はサポートに\
             お問い合わせください。"
        }
        ErrorCode::BadRequest => "リクエストを読み取れません。リクエストの形式を確認してください。",
    }
}

/// The Japanese of an English message the server sends (a field error's `message`, or a
/// `detail` with specifics such as a JSON position or an order number), keeping its
/// specifics; `None` for a message this table does not know.
pub fn translate_ja(message: &str) -> Option<String> {
    if let Some(ja) = EXACT_JA
        .iter()
        .find_map(|(en, ja)| (*en == message).then_some(*ja))
    {
        return Some(ja.to_owned());
    }
    let between = |prefix: &str, suffix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
    };
    if let Some(n) = between("Use at least ", " characters.") {
        return Some(format!("{n} 文字以上で入力してください。"));
    }
    if let Some(n) = between("Use at most ", " characters.") {
        return Some(format!("{n} 文字以内で入力してください。"));
    }
    if let Some(n) = between("must be at most ", " characters") {
        return Some(format!("{n} 文字以内にしてください"));
    }
    if let Some(n) = between("must list at most ", " lines") {
        return Some(format!("明細は {n} 件以内にしてください"));
    }
    if let Some(expected) = message.strip_prefix("has the wrong type or value; expected ") {
        return Some(format!(
            "型または値が正しくありません（期待される値: {expected}）"
        ));
    }
    if message.starts_with("is not a well-formed activation code") {
        return Some(
            "アクティベーションコードの形式が正しくありません。元のコードと照らし合わせて確認\
             してください"
                .to_owned(),
        );
    }
    if let Some(sku) = between("only suite lines have components; ", " is not a suite") {
        return Some(format!(
            "構成製品を指定できるのはスイート製品の明細のみです。{sku} はスイート製品ではありません"
        ));
    }
    if let Some((suite, list)) = message
        .strip_prefix("is not a component of ")
        .and_then(|rest| rest.split_once("; expected one of "))
    {
        return Some(format!(
            "{suite} の構成製品ではありません。次のいずれかを指定してください: {list}"
        ));
    }
    if let Some(number) = between("An order numbered `", "` already exists for this partner.") {
        return Some(format!(
            "注文番号 `{number}` の注文は、このパートナーにすでに存在します。"
        ));
    }
    if let Some((line, column)) = between("The body is not valid JSON (line ", ").")
        .and_then(|rest| rest.split_once(", column "))
    {
        return Some(format!(
            "本文が正しい JSON ではありません（{line} 行目、{column} 列目）。"
        ));
    }
    if let Some(grant) = between("Unsupported grant_type; use `", "`.") {
        return Some(format!(
            "この grant_type には対応していません。`{grant}` を指定してください。"
        ));
    }
    if let Some(scope) = between("Invalid scope: `", "` is not granted to this client.") {
        return Some(format!(
            "scope が正しくありません。`{scope}` はこのクライアントに許可されていません。"
        ));
    }
    None
}

/// English messages without specifics and their Japanese.
const EXACT_JA: &[(&str, &str)] = &[
    // Field errors of the customer forms (accounts, activations).
    (
        "Enter a valid email address, such as jane@example.com.",
        "jane@example.com のような正しいメールアドレスを入力してください。",
    ),
    ("This field is required.", "この項目は必須です。"),
    ("Use `en` or `ja`.", "`en` または `ja` を指定してください。"),
    (
        "Use the two-letter ISO 3166 country code, such as US or JP.",
        "US や JP のような ISO 3166 の 2 文字の国コードを指定してください。",
    ),
    (
        "must be absent when signed in: the order is activated into the signed-in account",
        "サインイン中は指定できません。注文はサインイン中のアカウントにアクティベートされます",
    ),
    (
        "must be the token of a verification link",
        "確認リンクのトークンを指定してください",
    ),
    // The detail of an expired email verification link (`routes::accounts`).
    (
        crate::routes::accounts::EMAIL_LINK_EXPIRED,
        "このメールアドレス確認リンクは有効期限が切れているため、メールアドレスは確認されていません。\
このアカウントで注文をアクティベートすると、メールアドレスの確認も完了します。",
    ),
    // Field errors of the extractors (serde).
    ("is required", "必須です"),
    ("is not a known field", "不明な項目です"),
    ("appears twice", "2 回指定されています"),
    (
        "has the wrong type or value",
        "型または値が正しくありません",
    ),
    // Field errors of the partner API.
    ("must not be empty", "空にはできません"),
    (
        "must not contain control characters",
        "制御文字は使用できません",
    ),
    (
        "may contain only letters, digits, '-', '_' and '.'",
        "使用できるのは英字、数字、'-'、'_'、'.' のみです",
    ),
    ("is not an email address", "メールアドレスではありません"),
    (
        "must be a two-letter ISO 3166-1 country code",
        "ISO 3166-1 の 2 文字の国コードを指定してください",
    ),
    (
        "must list at least one line",
        "明細を 1 件以上指定してください",
    ),
    ("is not a product of the catalog", "カタログにない製品です"),
    ("must be at least 1", "1 以上を指定してください"),
    ("is too large", "大きすぎます"),
    (
        "must not be before term_start",
        "term_start より前にはできません",
    ),
    ("is listed twice", "2 回指定されています"),
    ("is required on a renewal order", "更新注文では必須です"),
    (
        "is only allowed on a renewal order",
        "更新注文でのみ指定できます",
    ),
    (
        "no such activation code",
        "該当するアクティベーションコードがありません",
    ),
    (
        "must list at least one event",
        "イベントを 1 件以上指定してください",
    ),
    (
        "must be an https:// (or http://) URL",
        "https://（または http://）の URL を指定してください",
    ),
    ("must name a host", "ホスト名を含めてください"),
    (
        "must not carry credentials; authenticate with the signature",
        "認証情報を含めることはできません。署名で認証してください",
    ),
    // Details without specifics.
    (
        "Send the body as JSON with `Content-Type: application/json`.",
        "本文は `Content-Type: application/json` の JSON で送信してください。",
    ),
    (
        "Send the body as `application/x-www-form-urlencoded`.",
        "本文は `application/x-www-form-urlencoded` 形式で送信してください。",
    ),
    (
        "The request body cannot be read.",
        "リクエスト本文を読み取れません。",
    ),
    (
        "The query string cannot be read.",
        "クエリ文字列を読み取れません。",
    ),
    (
        "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
        "Idempotency-Key ヘッダーは、表示可能な ASCII 文字 1〜255 文字で指定してください。",
    ),
    (
        "A request with this Idempotency-Key is still being processed. Retry later.",
        "この Idempotency-Key のリクエストはまだ処理中です。しばらくしてから再試行してください。",
    ),
    (
        "The request conflicts with existing data (a duplicate).",
        "リクエストが既存のデータと重複しています。",
    ),
    (
        "This delivery is still pending; it is attempted again on its own.",
        "この配信はまだ保留中です。自動的に再試行されます。",
    ),
    (
        "This activation was stopped by a restriction when its link was first followed; \
         nothing was activated. Start the activation again.",
        "このアクティベーションは、リンクが最初に開かれたときに制限によって中止されたため、\
         何もアクティベートされていません。もう一度アクティベーションを開始してください。",
    ),
    (
        "This verification link was already used: the order is activated. View your products.",
        "この確認リンクはすでに使用され、注文はアクティベート済みです。登録済みの製品をご確認\
         ください。",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_has_a_japanese_title_and_remedy() {
        for code in ErrorCode::ALL.iter().copied() {
            let (title, remedy) = (title_ja(code), remedy_ja(code));
            assert!(!title.trim().is_empty(), "{code}");
            assert!(!remedy.trim().is_empty(), "{code}");
            assert_ne!(title, code.title(), "{code}: the title is not translated");
            assert!(remedy.ends_with('。'), "{code}: {remedy}");
            assert!(!remedy.contains("  "), "{code}: {remedy}");
            assert_eq!(self::title(code, Lang::En), code.title());
            assert_eq!(self::title(code, Lang::Ja), title);
        }
    }

    #[test]
    fn japanese_titles_are_distinct() {
        for (i, a) in ErrorCode::ALL.iter().enumerate() {
            for b in &ErrorCode::ALL[i + 1..] {
                assert_ne!(title_ja(*a), title_ja(*b), "{a} and {b}");
            }
        }
    }

    #[test]
    fn the_exact_table_has_no_empty_or_repeated_entries() {
        for (i, (en, ja)) in EXACT_JA.iter().enumerate() {
            assert!(!en.is_empty() && !ja.is_empty());
            assert!(!ja.contains("  "), "{ja}");
            assert!(
                !EXACT_JA[i + 1..].iter().any(|(other, _)| other == en),
                "{en} twice"
            );
        }
    }

    #[test]
    fn translations_keep_the_specifics() {
        assert_eq!(
            translate_ja("Use at least 12 characters.").as_deref(),
            Some("12 文字以上で入力してください。")
        );
        assert_eq!(
            translate_ja("The body is not valid JSON (line 1, column 17).").as_deref(),
            Some("本文が正しい JSON ではありません（1 行目、17 列目）。")
        );
        assert!(
            translate_ja("An order numbered `SO-7` already exists for this partner.")
                .is_some_and(|ja| ja.contains("`SO-7`"))
        );
        assert!(
            translate_ja("has the wrong type or value; expected u32")
                .is_some_and(|ja| ja.contains("u32"))
        );
        assert_eq!(translate_ja("is required").as_deref(), Some("必須です"));
        assert_eq!(translate_ja("something nobody wrote"), None);
    }

    #[actix_web::test]
    async fn the_current_language_is_scoped_to_the_request() {
        assert_eq!(Lang::current(), Lang::En);
        assert_eq!(
            with_lang(Lang::Ja, async { Lang::current() }).await,
            Lang::Ja
        );
        assert_eq!(Lang::current(), Lang::En);
    }

    #[test]
    fn vary_is_added_once() {
        let mut headers = HeaderMap::new();
        add_vary_accept_language(&mut headers);
        add_vary_accept_language(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 1);
        let mut headers = HeaderMap::new();
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        add_vary_accept_language(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 2);
    }
}
