//! The certificate in Japanese.

use super::Labels;

/// The Japanese catalog.
pub const JA: Labels = Labels {
    title: "ライセンス証書",
    subtitle: "本注文の製品の登録キーとアクティベーションの手順",
    document_title: |order| format!("注文 {order} のライセンス証書"),
    order_number: "注文番号",
    purchase_date: "購入日",
    order_type: "注文種別",
    order_type_new: "新規購入",
    order_type_renewal: "更新",
    end_customer: "エンドユーザー",
    contact: "ご担当者",
    country: "国",
    sold_by: "販売パートナー",
    how_to_activate: "アクティベーション方法",
    steps: [
        "1. 下記のアドレス (または QR コード) からライセンス アクティベーション ポータルを開きます。",
        "2. 本証書の登録キーを入力し、表示される製品を確認します。",
        "3. サインインまたはアカウントを作成し、メールで届くリンクで確定します。",
    ],
    scan: "読み取るとポータルが開きます",
    licenses: "ライセンス",
    line_heading: |no, product, sku| format!("{no}. {product} ({sku})"),
    seats: "シート数",
    term: "期間",
    term_range: |start, end| format!("{start} から {end} まで"),
    registration_key: "登録キー",
    includes: "含まれる製品",
    renews: "更新対象のアクティベーションコード",
    registered_on: |day| format!("{day} に登録済み"),
    keep_safe: "本証書は大切に保管してください。登録キーをお持ちの方はどなたでも製品をアクティベートできます。",
    page: |page, count| format!("{page} / {count} ページ"),
    issued: |day| format!("発行日: {day}"),
    date: |date| date.format("%Y年%-m月%-d日").to_string(),
};
