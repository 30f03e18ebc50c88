//! Lays a [`Certificate`] out on A4 pages and writes it as a PDF with `krilla`.

use clp_domain::order::OrderType;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};

use super::layout::{
    BODY_BOTTOM, BODY_WIDTH, Block, Ink, MARGIN_X, Measure, Op, PAGE_HEIGHT, PAGE_WIDTH, Pages,
};
use super::{Certificate, CertificateLine, FontFile, Labels, qr};

/// Why a certificate could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The font file is not a font.
    #[error("the certificate font cannot be parsed")]
    NotAFont,
    /// The activation address is too long for a QR code.
    #[error("the activation address is too long for a QR code")]
    AddressTooLong,
    /// `krilla` refused the document.
    #[error("the PDF cannot be written: {0}")]
    Pdf(String),
}

/// Width of the label column of the order's details.
const LABEL_WIDTH: f32 = 120.0;
/// Size of the QR code.
const QR_SIZE: f32 = 104.0;
/// Size of body text.
const BODY: f32 = 10.0;
/// Line height of body text.
const BODY_LINE: f32 = 14.5;

/// The PDF of `certificate`, set in the font of `font`.
pub fn render(certificate: &Certificate, font: &FontFile) -> Result<Vec<u8>, RenderError> {
    let measure = Measure::new(font).ok_or(RenderError::NotAFont)?;
    let labels = Labels::of(certificate.lang);
    let mut pages = Pages::new();
    pages.place(heading(labels, &measure));
    pages.place(details(certificate, labels, &measure));
    pages.place(activation(certificate, labels, &measure)?);
    pages.place(section(labels.licenses));
    for line in &certificate.lines {
        pages.place(license(line, labels, &measure));
    }
    let count = pages.pages.len();
    let mut out = pages.pages;
    for (index, page) in out.iter_mut().enumerate() {
        page.extend(footer(certificate, labels, &measure, index + 1, count));
    }
    write_pdf(certificate, labels, font, out)
}

fn heading(labels: &Labels, measure: &Measure<'_>) -> Block {
    let mut block = Block::new();
    block.line(MARGIN_X, 22.0, 30.0, Ink::Accent, labels.title);
    for text in measure.wrap(labels.subtitle, BODY, BODY_WIDTH) {
        block.line(MARGIN_X, BODY, BODY_LINE, Ink::Muted, text);
    }
    block.gap(8.0);
    block.rule(1.2, Ink::Accent);
    block.gap(10.0);
    block
}

/// A row of a label and its value (wrapped under itself), the label in the left column.
fn row(block: &mut Block, measure: &Measure<'_>, x: f32, label: &str, value: &str, size: f32) {
    let value_x = x + LABEL_WIDTH;
    let value_width = MARGIN_X + BODY_WIDTH - value_x;
    let line_height = (size * 1.45).max(BODY_LINE);
    let top = block.height;
    block.text_at(x, top, 8.5, line_height, Ink::Muted, label);
    for text in measure.wrap(value, size, value_width) {
        block.line(value_x, size, line_height, Ink::Text, text);
    }
    if block.height == top {
        block.gap(line_height);
    }
}

fn details(certificate: &Certificate, labels: &Labels, measure: &Measure<'_>) -> Block {
    let date = labels.date;
    let mut block = Block::new();
    let order_type = match certificate.order_type {
        OrderType::New => labels.order_type_new,
        OrderType::Renewal => labels.order_type_renewal,
    };
    let contact = format!(
        "{} <{}>",
        certificate.contact_name, certificate.contact_email
    );
    let mut rows = vec![
        (labels.order_number, certificate.order_number.clone(), 13.0),
        (labels.purchase_date, date(&certificate.purchase_date), 11.0),
        (labels.order_type, order_type.to_owned(), 11.0),
        (labels.end_customer, certificate.company.clone(), 13.0),
        (labels.contact, contact, 11.0),
        (labels.country, certificate.country.clone(), 11.0),
    ];
    if let Some(partner) = &certificate.partner_name {
        rows.push((labels.sold_by, partner.clone(), 11.0));
    }
    for (label, value, size) in rows {
        row(&mut block, measure, MARGIN_X, label, &value, size);
    }
    block.gap(14.0);
    block
}

fn section(title: &str) -> Block {
    let mut block = Block::new();
    block.line(MARGIN_X, 14.0, 20.0, Ink::Accent, title);
    block.rule(0.6, Ink::Accent);
    block.gap(8.0);
    block
}

fn activation(
    certificate: &Certificate,
    labels: &Labels,
    measure: &Measure<'_>,
) -> Result<Block, RenderError> {
    let mut block = section(labels.how_to_activate);
    // Room above the code for its quiet zone.
    let top = block.height + 6.0;
    let (width, modules) =
        qr::modules(&certificate.activation_url).ok_or(RenderError::AddressTooLong)?;
    let qr_x = MARGIN_X + BODY_WIDTH - QR_SIZE;
    block.ops.push(Op::Qr {
        x: qr_x,
        y: top,
        size: QR_SIZE,
        width,
        modules,
    });
    let mut caption_top = top + QR_SIZE + 2.0;
    for text in measure.wrap(labels.scan, 7.5, QR_SIZE) {
        block.text_at(qr_x, caption_top, 7.5, 10.0, Ink::Muted, text);
        caption_top += 10.0;
    }

    let text_width = BODY_WIDTH - QR_SIZE - 18.0;
    for (index, step) in labels.steps.iter().enumerate() {
        for text in measure.wrap(step, BODY, text_width) {
            block.line(MARGIN_X, BODY, BODY_LINE, Ink::Text, text);
        }
        if index == 0 {
            block.gap(3.0);
            for text in measure.wrap(&certificate.activation_url, 11.0, text_width - 14.0) {
                block.line(MARGIN_X + 14.0, 11.0, 16.0, Ink::Accent, text);
            }
            block.gap(3.0);
        }
    }
    block.height = block.height.max(caption_top);
    block.gap(16.0);
    Ok(block)
}

fn license(line: &CertificateLine, labels: &Labels, measure: &Measure<'_>) -> Block {
    let date = labels.date;
    let mut block = Block::new();
    let heading = (labels.line_heading)(line.line_no, &line.product_name, &line.sku);
    for text in measure.wrap(&heading, 11.5, BODY_WIDTH) {
        block.line(MARGIN_X, 11.5, 17.0, Ink::Text, text);
    }
    let x = MARGIN_X + 14.0;
    row(
        &mut block,
        measure,
        x,
        labels.registration_key,
        &line.registration_key,
        14.0,
    );
    row(
        &mut block,
        measure,
        x,
        labels.seats,
        &line.seats.to_string(),
        BODY,
    );
    let term = (labels.term_range)(&date(&line.term_start), &date(&line.term_end));
    row(&mut block, measure, x, labels.term, &term, BODY);
    if !line.components.is_empty() {
        row(
            &mut block,
            measure,
            x,
            labels.includes,
            &line.components.join(", "),
            BODY,
        );
    }
    if let Some(code) = &line.renews_ac {
        row(&mut block, measure, x, labels.renews, code, BODY);
    }
    if let Some(day) = &line.registered_on {
        block.line(x, 8.5, 13.0, Ink::Muted, (labels.registered_on)(&date(day)));
    }
    block.gap(6.0);
    block.ops.push(Op::Rect {
        x: MARGIN_X,
        y: block.height,
        w: BODY_WIDTH,
        h: 0.3,
        ink: Ink::Muted,
    });
    block.gap(8.0);
    block
}

fn footer(
    certificate: &Certificate,
    labels: &Labels,
    measure: &Measure<'_>,
    page: usize,
    count: usize,
) -> Vec<Op> {
    let mut block = Block::new();
    block.gap(BODY_BOTTOM + 14.0);
    block.rule(0.4, Ink::Muted);
    block.gap(4.0);
    let page_text = (labels.page)(page, count);
    let page_width = measure.width(&page_text, 8.0);
    let top = block.height;
    block.text_at(
        MARGIN_X + BODY_WIDTH - page_width,
        top,
        8.0,
        11.0,
        Ink::Muted,
        page_text,
    );
    for text in measure.wrap(labels.keep_safe, 8.0, BODY_WIDTH - page_width - 16.0) {
        block.line(MARGIN_X, 8.0, 11.0, Ink::Muted, text);
    }
    let issued = (labels.issued)(&(labels.date)(&certificate.issued_on));
    block.line(
        MARGIN_X,
        8.0,
        11.0,
        Ink::Muted,
        format!("{issued} · {}", certificate.order_number),
    );
    block.ops
}

fn fill(ink: Ink) -> Fill {
    let color = match ink {
        Ink::Text => rgb::Color::new(25, 25, 25),
        Ink::Muted => rgb::Color::new(95, 99, 104),
        Ink::Accent => rgb::Color::new(20, 58, 110),
    };
    Fill {
        paint: color.into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn write_pdf(
    certificate: &Certificate,
    labels: &Labels,
    font: &FontFile,
    pages: Vec<Vec<Op>>,
) -> Result<Vec<u8>, RenderError> {
    let font = Font::new(std::sync::Arc::clone(font).into(), 0).ok_or(RenderError::NotAFont)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title((labels.document_title)(&certificate.order_number))
            .language(certificate.lang.code().to_owned())
            .creator("Open CLP".to_owned()),
    );
    let settings =
        PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| pdf_error("page size"))?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    ink,
                    text,
                } => {
                    surface.set_fill(Some(fill(ink)));
                    surface.draw_text(
                        Point::from_xy(x, y),
                        font.clone(),
                        size,
                        &text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Rect { x, y, w, h, ink } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(fill(ink)));
                        surface.draw_path(&path);
                    }
                }
                Op::Qr {
                    x,
                    y,
                    size,
                    width,
                    modules,
                } => {
                    if let Some(path) = qr_path(x, y, size, width, &modules) {
                        surface.set_fill(Some(Fill {
                            paint: rgb::Color::new(0, 0, 0).into(),
                            opacity: NormalizedF32::ONE,
                            rule: FillRule::NonZero,
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

/// The dark modules as one path of rectangles, a run of dark modules in a row being one.
fn qr_path(
    x: f32,
    y: f32,
    size: f32,
    width: usize,
    modules: &[bool],
) -> Option<krilla::geom::Path> {
    #[expect(
        clippy::cast_precision_loss,
        reason = "a QR code is at most 177 modules wide"
    )]
    let module = size / width as f32;
    let mut path = PathBuilder::new();
    for (row, cells) in modules.chunks(width).enumerate() {
        let mut column = 0;
        while column < cells.len() {
            if !cells[column] {
                column += 1;
                continue;
            }
            let start = column;
            while column < cells.len() && cells[column] {
                column += 1;
            }
            #[expect(clippy::cast_precision_loss, reason = "at most 177 modules")]
            let rect = Rect::from_xywh(
                x + start as f32 * module,
                y + row as f32 * module,
                (column - start) as f32 * module,
                module,
            );
            if let Some(rect) = rect {
                path.push_rect(rect);
            }
        }
    }
    path.finish()
}

fn pdf_error(what: &str) -> RenderError {
    RenderError::Pdf(what.to_owned())
}
