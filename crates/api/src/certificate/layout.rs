//! Text measurement and line breaking for the certificate, and the pages as lists of drawing
//! operations (laid out first, drawn after, so every footer knows the page count).

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margin.
pub const MARGIN_X: f32 = 56.0;
/// Top margin.
pub const MARGIN_TOP: f32 = 56.0;
/// Where the body ends: the footer lies below.
pub const BODY_BOTTOM: f32 = PAGE_HEIGHT - 72.0;
/// The width of the body.
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// A colour of text or rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Body text.
    Text,
    /// Labels and the footer.
    Muted,
    /// Headings, rules and the registration keys.
    Accent,
}

/// One thing drawn on a page (coordinates from the top left, in points).
#[derive(Clone)]
pub enum Op {
    /// A line of text; `y` is its baseline.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Font size.
        size: f32,
        /// Colour.
        ink: Ink,
        /// The text (one line).
        text: String,
    },
    /// A filled rectangle.
    Rect {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Colour.
        ink: Ink,
    },
    /// A QR code: `modules` dark or light, `width` a row, drawn `size` points wide.
    Qr {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width and height.
        size: f32,
        /// Modules per row (and rows).
        width: usize,
        /// Dark modules, row by row.
        modules: Vec<bool>,
    },
}

/// Measures text set in the certificate's font.
pub struct Measure<'a> {
    face: rustybuzz::Face<'a>,
    units_per_em: f32,
}

impl<'a> Measure<'a> {
    /// A measure of the font in `bytes`, if it is one.
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        let face = rustybuzz::Face::from_slice(bytes, 0)?;
        #[expect(clippy::cast_precision_loss, reason = "units per em are at most 16384")]
        let units_per_em = face.units_per_em() as f32;
        Some(Self { face, units_per_em })
    }

    /// The width of `text` set at `size` points on one line.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        // Glyph advances are small integers: no precision is lost.
        #[expect(clippy::cast_precision_loss, reason = "advances fit f32 exactly")]
        let units = units as f32;
        units * size / self.units_per_em
    }

    /// `text` broken into lines no wider than `max_width` at `size`: after spaces, and
    /// between two characters of a script written without spaces (CJK); a word longer than
    /// a line is broken between characters.
    pub fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let pieces = tokens(text)
            .into_iter()
            .flat_map(|token| self.split_long(token, size, max_width));
        for piece in pieces {
            let candidate = format!("{line}{piece}");
            if line.is_empty() || self.width(candidate.trim_end(), size) <= max_width {
                line = candidate;
            } else {
                lines.push(line.trim_end().to_owned());
                line = piece;
            }
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_owned());
        }
        lines
    }

    /// `token` in pieces no wider than `max_width` (itself when it fits).
    fn split_long(&self, token: String, size: f32, max_width: f32) -> Vec<String> {
        if self.width(token.trim_end(), size) <= max_width {
            return vec![token];
        }
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in token.chars() {
            piece.push(c);
            if piece.chars().count() > 1 && self.width(piece.trim_end(), size) > max_width {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        if !piece.is_empty() {
            pieces.push(piece);
        }
        pieces
    }
}

/// Whether a line may break after `c` when the next character is also wide (CJK).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The pieces between break opportunities, each with its trailing spaces.
fn tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let next = chars.peek().copied();
        let breaks = match next {
            None => true,
            Some(n) => !n.is_whitespace() && (c.is_whitespace() || is_wide(c) || is_wide(n)),
        };
        // Keep closing punctuation with the character before it.
        let keeps = next.is_some_and(|n| "、。）」』，．・ー".contains(n));
        if breaks && !keeps {
            tokens.push(std::mem::take(&mut current));
        }
    }
    tokens
}

/// A piece of the document kept on one page: drawing operations from its own top (`y` 0)
/// and its height.
#[derive(Default)]
pub struct Block {
    /// What it draws, from its top.
    pub ops: Vec<Op>,
    /// How tall it is.
    pub height: f32,
}

impl Block {
    /// An empty block.
    pub fn new() -> Self {
        Self::default()
    }

    /// One line of text at `x` in a box `line_height` tall, below what is there.
    pub fn line(&mut self, x: f32, size: f32, line_height: f32, ink: Ink, text: impl Into<String>) {
        self.text_at(x, self.height, size, line_height, ink, text);
        self.height += line_height;
    }

    /// One line of text at `x` in a box `line_height` tall whose top is `top`; the height is
    /// left as it is.
    pub fn text_at(
        &mut self,
        x: f32,
        top: f32,
        size: f32,
        line_height: f32,
        ink: Ink,
        text: impl Into<String>,
    ) {
        // The baseline: the text's cap height centred in its box (about 0.7 of the size).
        let baseline = top + (line_height + size * 0.7) / 2.0;
        self.ops.push(Op::Text {
            x,
            y: baseline,
            size,
            ink,
            text: text.into(),
        });
    }

    /// Empty space.
    pub fn gap(&mut self, height: f32) {
        self.height += height;
    }

    /// A horizontal rule across the body.
    pub fn rule(&mut self, thickness: f32, ink: Ink) {
        self.ops.push(Op::Rect {
            x: MARGIN_X,
            y: self.height,
            w: BODY_WIDTH,
            h: thickness,
            ink,
        });
        self.height += thickness;
    }
}

impl Op {
    /// The same operation `dy` points lower.
    fn shifted(self, dy: f32) -> Self {
        match self {
            Op::Text {
                x,
                y,
                size,
                ink,
                text,
            } => Op::Text {
                x,
                y: y + dy,
                size,
                ink,
                text,
            },
            Op::Rect { x, y, w, h, ink } => Op::Rect {
                x,
                y: y + dy,
                w,
                h,
                ink,
            },
            Op::Qr {
                x,
                y,
                size,
                width,
                modules,
            } => Op::Qr {
                x,
                y: y + dy,
                size,
                width,
                modules,
            },
        }
    }
}

/// Pages being laid out, top to bottom.
pub struct Pages {
    /// The laid-out pages.
    pub pages: Vec<Vec<Op>>,
    /// The top of the next block on the last page.
    y: f32,
}

impl Pages {
    /// One empty page.
    pub fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
        }
    }

    /// Places `block` below the last one, on a new page when it does not fit.
    pub fn place(&mut self, block: Block) {
        if self.y + block.height > BODY_BOTTOM && self.y > MARGIN_TOP {
            self.pages.push(Vec::new());
            self.y = MARGIN_TOP;
        }
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.extend(block.ops.into_iter().map(|op| op.shifted(y)));
        }
        self.y += block.height;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_breaks_after_spaces_and_between_wide_characters() {
        assert_eq!(
            tokens("Open the portal"),
            ["Open ", "the ", "portal"].map(String::from)
        );
        assert_eq!(
            tokens("日本語、テキスト"),
            ["日", "本", "語、", "テ", "キ", "ス", "ト"].map(String::from)
        );
        assert_eq!(
            tokens("株式会社 ABC"),
            ["株", "式", "会", "社 ", "ABC"].map(String::from)
        );
    }
}
