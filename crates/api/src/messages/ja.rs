//! The server's Japanese.

use clp_api_types::ErrorCode;
use clp_domain::conflict::ConflictReason;
use clp_domain::region::Region;
use clp_domain::{KeyError, Lang};

use super::{BadRequestReason, Catalog, ConflictKind, FieldProblem};

/// The Japanese catalog.
#[derive(Debug, Clone, Copy)]
pub struct Japanese;

impl Japanese {
    /// A region as the Japanese messages name it: `日本（jp）`.
    fn region_text(self, region: Region) -> String {
        format!("{}（{}）", self.region(region), region.as_str())
    }
}

impl Catalog for Japanese {
    fn lang(&self) -> Lang {
        Lang::Ja
    }

    fn title(&self, code: ErrorCode) -> &'static str {
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
            ErrorCode::LinkExpired => "リンクの有効期限切れまたは使用済み",
            ErrorCode::MfaRequired => "2 段階認証のコードが必要です",
            ErrorCode::OrderInUse => "注文は使用中です",
            ErrorCode::OrderCancelled => "注文はキャンセルされました",
        }
    }

    fn remedy(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::SaasConflict | ErrorCode::RegionConflict => {
                "この注文を別のアカウントに登録するか、新しいアカウントを作成してください。"
            }
            ErrorCode::CrossgradeAccountRequired => {
                "この注文が延長するアクティベーションコードを所有するアカウント（メールアドレスは\
                 一部を伏せて表示されます）にサインインしてください。"
            }
            ErrorCode::RenewalAccountMismatch => {
                "この更新が延長するアクティベーションコードを所有するアカウントにサインインして\
                 ください。"
            }
            ErrorCode::NothingToActivate => {
                "この注文の製品はすべて登録済みのため、必要な操作はありません。登録済みの製品を\
                 ご確認ください。"
            }
            ErrorCode::VerificationExpired => "もう一度アクティベーションを開始してください。",
            ErrorCode::AlreadyRegistered => "登録済みの製品をご確認ください。",
            ErrorCode::WrongFlow => {
                "このキーは別のアクティベーション手順で登録する製品のものです。キーに合った手順で\
                 登録してください。"
            }
            ErrorCode::InvalidKey => {
                "キーの形式が正しくありません。ライセンス証書に記載されたキーと照らし合わせて、\
                 もう一度入力してください。"
            }
            ErrorCode::UnknownKey => {
                "この登録キーに該当する注文明細はありません。ライセンス証書に記載されたキーを確認\
                 し、もう一度入力してください。"
            }
            ErrorCode::ValidationFailed => {
                "入力内容に誤りがあります。`errors` の各項目を確認してください。"
            }
            ErrorCode::InvalidCredentials => {
                "ログイン ID またはパスワードが正しくありません。両方を確認して、もう一度お試し\
                 ください。"
            }
            ErrorCode::Unauthorized => {
                "サインインするか、有効なベアラートークンを送信してください。セッションの有効期限\
                 が切れている可能性があります。"
            }
            ErrorCode::Forbidden => "お使いの認証情報では、この操作は許可されていません。",
            ErrorCode::NotFound => "指定されたリソースは存在しません。",
            ErrorCode::AccountExists => {
                "このメールアドレスまたはログイン ID のアカウントはすでに存在します。そのアカウント\
                 にサインインするか、別のメールアドレスで登録してください。"
            }
            ErrorCode::Conflict => {
                "リクエストが既存のデータと競合しています。内容を確認して、もう一度お試しください。"
            }
            ErrorCode::IdempotencyMismatch => {
                "この Idempotency-Key は、別のリクエスト本文ですでに使用されています。新しい\
                 リクエストには新しいキーを指定してください。"
            }
            ErrorCode::RateLimited => {
                "リクエストが多すぎます。しばらく待ってから再試行してください。"
            }
            ErrorCode::Unavailable => {
                "サービスを一時的に利用できません。しばらく待ってから再試行してください。"
            }
            ErrorCode::Internal => {
                "予期しないエラーが発生しました。時間をおいて再試行し、解決しない場合はサポートに\
                 お問い合わせください。"
            }
            ErrorCode::BadRequest => {
                "リクエストを読み取れません。リクエストの形式を確認してください。"
            }
            ErrorCode::LinkExpired => {
                "このリンクはすでに使用されたか、有効期限が切れています。新しいリンクを\
                 リクエストしてください。"
            }
            ErrorCode::MfaRequired => {
                "このアカウントは 2 段階認証でサインインします。認証アプリのコード、またはリカバリー\
                 コードのいずれかを入力してください。"
            }
            ErrorCode::OrderInUse => {
                "この注文の製品が登録済みか、アクティベーションが保留中のため、注文をキャンセル\
                 できません。"
            }
            ErrorCode::OrderCancelled => {
                "この注文は販売したリセラーによってキャンセルされたため、キーでは何もアクティベート\
                 されません。リセラーにお問い合わせください。"
            }
        }
    }

    fn conflict(&self, reason: &ConflictReason) -> String {
        match reason {
            ConflictReason::SaasServiceHeld { product, service } => format!(
                "{product} は SaaS サービス {service} を提供しますが、このアカウントには別の注文\
                 による {service} のインスタンスがすでに有効になっています。1 つのアカウントで\
                 保持できるのは SaaS サービスごとに 1 インスタンスのみです。"
            ),
            ConflictReason::RegionPinsDiffer {
                product,
                region,
                other_product,
                other_region,
            } => format!(
                "{product} は Trend Micro XDR リージョンを {} に固定しますが、同じ注文の \
                 {other_product} は {} に固定します。1 つのアカウントのリージョンは 1 つです。",
                self.region_text(*region),
                self.region_text(*other_region)
            ),
            ConflictReason::RegionConflict {
                product,
                account_region,
                order_region,
            } => format!(
                "{} は Trend Micro XDR リージョンを {} に固定しますが、このアカウントの XDR \
                 リージョンは {} で、変更できません。",
                product.as_deref().unwrap_or("この注文"),
                self.region_text(*order_region),
                self.region_text(*account_region)
            ),
            ConflictReason::CrossGrade {
                suite,
                component,
                owner,
            } => format!(
                "この注文はクロスグレードです。{suite} は、アカウント {owner} に登録された \
                 {component} のアクティベーションコードを延長するため、この注文はそのアカウントに\
                 登録する必要があります。"
            ),
            ConflictReason::RenewalOwnedElsewhere {
                product,
                owner: Some(owner),
            } => format!(
                "この {product} の更新は、アカウント {owner} に登録されたアクティベーションコード\
                 を延長します。更新はコードを所有するアカウントにのみ登録できます。"
            ),
            ConflictReason::RenewalOwnedElsewhere {
                product,
                owner: None,
            } => format!(
                "この {product} の更新は、このアカウントに登録されていないアクティベーションコード\
                 を延長します。更新はコードを所有するアカウントにのみ登録できます。"
            ),
            ConflictReason::ExtendedCodeElsewhere { .. } => {
                "この注文が延長するアクティベーションコードは、このアカウントに登録されていません。\
                 延長できるのはコードを所有するアカウントのみです。"
                    .to_owned()
            }
            ConflictReason::EveryLineRegistered { order_number } => {
                format!("注文 {order_number} の製品はすべて登録済みです。")
            }
            ConflictReason::KeyNotInOrder { order_number } => {
                format!("入力されたキーは注文 {order_number} のキーではありません。")
            }
            ConflictReason::LineRegistered {
                product,
                order_number,
            } => format!("注文 {order_number} の {product} はすでに登録されています。"),
            ConflictReason::RegisteredMeanwhile { order_number } => format!(
                "注文 {order_number} の製品が、処理中に別のアクティベーションによって登録されま\
                 した。このアクティベーションでは何も登録されていません。"
            ),
            ConflictReason::LegacyOrder { order_number } => format!(
                "注文 {order_number} は従来の登録手順で登録します。製品ごとに、そのキーで登録\
                 してください（サインインして POST /api/v1/registrations）。"
            ),
            ConflictReason::AccountBasedOrder { order_number } => format!(
                "注文 {order_number} には Trend Micro XDR アドオンが含まれます。注文全体を\
                 アカウントベースのアクティベーション（注文のプレビュー、アカウント、リージョン、\
                 メールアドレスの確認）で登録してください（POST /api/v1/preview の後に \
                 POST /api/v1/activations）。"
            ),
            ConflictReason::LinkExpired => {
                "この確認リンクは有効期限が切れているため、何もアクティベートされていません。"
                    .to_owned()
            }
            ConflictReason::LinkUsed => {
                "この確認リンクはすでに使用され、注文はアクティベート済みです。登録済みの製品を\
                 ご確認ください。"
                    .to_owned()
            }
        }
    }

    fn field(&self, problem: &FieldProblem) -> String {
        let text = match problem {
            FieldProblem::Required => "この項目は必須です。",
            FieldProblem::InvalidEmail => {
                "jane@example.com のような正しいメールアドレスを入力してください。"
            }
            FieldProblem::TooShort { min } => return format!("{min} 文字以上で入力してください。"),
            FieldProblem::TooLong { max } => return format!("{max} 文字以内で入力してください。"),
            FieldProblem::InvalidCountry => {
                "US や JP のような ISO 3166 の 2 文字の国コードを指定してください。"
            }
            FieldProblem::InvalidLanguage => "`en` または `ja` を指定してください。",
            FieldProblem::InvalidLoginId => {
                "英字、数字、ピリオド、ハイフン、アンダースコアで 3〜64 文字にしてください。"
            }
            FieldProblem::AccountWhileSignedIn => {
                "サインイン中は指定できません。注文はサインイン中のアカウントにアクティベートされます"
            }
            FieldProblem::InvalidLinkToken => "確認リンクのトークンを指定してください",
            FieldProblem::SameEmail => "現在のアカウントのメールアドレスと同じです",
            FieldProblem::WrongCode => {
                "このコードは正しくありません。認証アプリに表示されている現在の 6 桁のコード、\
                 または使用可能な場合は未使用のリカバリーコードを入力してください。"
            }
            FieldProblem::WrongPassword => "パスワードが正しくありません。",
            FieldProblem::Missing => "必須です",
            FieldProblem::UnknownField => "不明な項目です",
            FieldProblem::DuplicateField => "2 回指定されています",
            FieldProblem::WrongType { expected: None } => "型または値が正しくありません",
            FieldProblem::WrongType {
                expected: Some(expected),
            } => return format!("型または値が正しくありません（期待される値: {expected}）"),
            FieldProblem::Empty => "空にはできません",
            FieldProblem::Longer { max } => return format!("{max} 文字以内にしてください"),
            FieldProblem::ControlCharacters => "制御文字は使用できません",
            FieldProblem::OrderNumberCharacters => {
                "使用できるのは英字、数字、'-'、'_'、'.' のみです"
            }
            FieldProblem::NotAnEmail => "メールアドレスではありません",
            FieldProblem::NotACountry => "ISO 3166-1 の 2 文字の国コードを指定してください",
            FieldProblem::NoLines => "明細を 1 件以上指定してください",
            FieldProblem::TooManyLines { max } => {
                return format!("明細は {max} 件以内にしてください");
            }
            FieldProblem::UnknownProduct => "カタログにない製品です",
            FieldProblem::Zero => "1 以上を指定してください",
            FieldProblem::TooLarge => "大きすぎます",
            FieldProblem::EndsBeforeStart => "term_start より前にはできません",
            FieldProblem::NotASuite { sku } => {
                return format!(
                    "構成製品を指定できるのはスイート製品の明細のみです。{sku} はスイート製品では\
                     ありません"
                );
            }
            FieldProblem::NotAComponent { suite, components } => {
                return format!(
                    "{suite} の構成製品ではありません。次のいずれかを指定してください: {}",
                    components.join(", ")
                );
            }
            FieldProblem::ListedTwice => "2 回指定されています",
            FieldProblem::RenewalNeedsCode => "更新注文では必須です",
            FieldProblem::OnlyOnRenewals => "更新注文でのみ指定できます",
            FieldProblem::NoSuchActivationCode => "該当するアクティベーションコードがありません",
            FieldProblem::MalformedActivationCode(error) => {
                return format!(
                    "アクティベーションコードの形式が正しくありません。{}",
                    self.key_error(error)
                );
            }
            FieldProblem::NoEvents => "イベントを 1 件以上指定してください",
            FieldProblem::NotAUrl => "URL ではありません",
            FieldProblem::NotAnHttpUrl => "https://（または http://）の URL を指定してください",
            FieldProblem::NoHost => "ホスト名を含めてください",
            FieldProblem::UrlCredentials => {
                "認証情報を含めることはできません。署名で認証してください"
            }
        };
        text.to_owned()
    }

    fn bad_request(&self, reason: &BadRequestReason) -> String {
        match reason {
            BadRequestReason::NotJson { line, column } => {
                format!("本文が正しい JSON ではありません（{line} 行目、{column} 列目）。")
            }
            BadRequestReason::NotJsonContentType => {
                "本文は `Content-Type: application/json` の JSON で送信してください。".to_owned()
            }
            BadRequestReason::NotFormContentType => {
                "本文は `application/x-www-form-urlencoded` 形式で送信してください。".to_owned()
            }
            BadRequestReason::UnreadableBody => "リクエスト本文を読み取れません。".to_owned(),
            BadRequestReason::UnreadableQuery => "クエリ文字列を読み取れません。".to_owned(),
            BadRequestReason::IdempotencyKeyHeader => {
                "Idempotency-Key ヘッダーは、表示可能な ASCII 文字 1〜255 文字で指定してください。"
                    .to_owned()
            }
            BadRequestReason::UnsupportedGrantType { expected } => {
                format!("この grant_type には対応していません。`{expected}` を指定してください。")
            }
            BadRequestReason::UnknownScope { scope, known } => format!(
                "scope が正しくありません。`{scope}` という scope はありません。次のいずれかを\
                 指定してください: {}。",
                known.join(", ")
            ),
            BadRequestReason::ScopeNotGranted { scope } => format!(
                "scope が正しくありません。`{scope}` はこのクライアントに許可されていません。"
            ),
        }
    }

    fn conflict_kind(&self, kind: &ConflictKind) -> String {
        match kind {
            ConflictKind::Duplicate => "リクエストが既存のデータと重複しています。".to_owned(),
            ConflictKind::OrderNumberTaken { order_number } => {
                format!("注文番号 `{order_number}` の注文は、このパートナーにすでに存在します。")
            }
            ConflictKind::IdempotencyInFlight => {
                "この Idempotency-Key のリクエストはまだ処理中です。しばらくしてから再試行して\
                 ください。"
                    .to_owned()
            }
            ConflictKind::DeliveryPending => {
                "この配信はまだ保留中です。自動的に再試行されます。".to_owned()
            }
            ConflictKind::ActivationStopped => {
                "このアクティベーションは、リンクが最初に開かれたときに制限によって中止されたため、\
                 何もアクティベートされていません。もう一度アクティベーションを開始してください。"
                    .to_owned()
            }
            ConflictKind::MfaAlreadyOn => {
                "このアカウントでは 2 段階認証がすでに有効です。新しい認証アプリを設定するには、\
                 先に無効にしてください。"
                    .to_owned()
            }
            ConflictKind::MfaNotEnrolling => {
                "最初のコードを待っている 2 段階認証の設定はありません。設定をもう一度開始して\
                 ください。"
                    .to_owned()
            }
            ConflictKind::MfaOff => {
                "このアカウントでは 2 段階認証は有効ではありません。".to_owned()
            }
        }
    }

    fn key_error(&self, error: &KeyError) -> String {
        match error {
            KeyError::WrongLength { expected, found } => format!(
                "キーは英数字 {expected} 文字（ハイフンと空白を除く）ですが、入力されたキーは \
                 {found} 文字です。抜けている文字や重複している文字がないか確認してください。"
            ),
            KeyError::InvalidCharacter {
                character,
                position,
            } => format!(
                "キーの {position} 文字目（英数字のみで数えます）の「{character}」は使用できません。\
                 元のキーと照らし合わせて確認してください。"
            ),
            KeyError::CheckFailed => {
                "キーの入力に誤りがあるようです（チェック文字が一致しません）。1 文字ずつ元のキーと\
                 照らし合わせて確認してください。"
                    .to_owned()
            }
            KeyError::BadPrefix => "キーの接頭辞は A〜Z の英字 2 文字にしてください。".to_owned(),
        }
    }

    fn invalid_fields(&self, count: usize) -> String {
        format!("{count} 件の項目に誤りがあります。`errors` を確認してください。")
    }

    fn rate_limited(&self, retry_after_secs: u64) -> String {
        format!("リクエストが多すぎます。{retry_after_secs} 秒後に再試行してください。")
    }

    fn unavailable(&self, retry_after_secs: u64) -> String {
        format!("サービスを一時的に利用できません。{retry_after_secs} 秒後に再試行してください。")
    }

    fn payload_too_large(&self, limit: usize) -> String {
        format!("リクエスト本文が大きすぎます（上限は {limit} バイトです）。")
    }

    fn email_link_expired(&self) -> &'static str {
        "このメールアドレス確認リンクは有効期限が切れているため、メールアドレスは確認されていま\
         せん。このアカウントで注文をアクティベートすると、メールアドレスの確認も完了します。"
    }

    fn region(&self, region: Region) -> &'static str {
        match region {
            Region::Us => "米国",
            Region::Eu => "欧州",
            Region::Jp => "日本",
            Region::Sg => "シンガポール",
            Region::Au => "オーストラリア",
            Region::In => "インド",
            Region::Mea => "中東・アフリカ",
            Region::Uk => "英国",
            Region::Ca => "カナダ",
        }
    }

    fn join(&self, sentences: &[String]) -> String {
        sentences.concat()
    }
}
