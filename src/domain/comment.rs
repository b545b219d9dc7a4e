//! The optional comment a supporter leaves with a signature.

/// Enough for a heartfelt paragraph; comments are read by people delivering the petition.
pub const MAX_COMMENT_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("the comment is too long")]
    TooLong,
    #[error("the comment contains characters that are not allowed")]
    InvalidCharacters,
}

impl Comment {
    pub fn parse(raw: &str) -> Result<Option<Self>, CommentError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if trimmed.chars().count() > MAX_COMMENT_CHARS {
            return Err(CommentError::TooLong);
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(CommentError::InvalidCharacters);
        }
        Ok(Some(Self(trimmed.replace("\r\n", "\n"))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_optional_bounded_and_keep_line_breaks() {
        assert_eq!(Comment::parse("  "), Ok(None));
        assert_eq!(
            Comment::parse("¡Vivos se los llevaron,\r\nvivos los queremos!")
                .map(|c| c.map(|c| c.0)),
            Ok(Some("¡Vivos se los llevaron,\nvivos los queremos!".into()))
        );
        assert_eq!(
            Comment::parse(&"a".repeat(1001)),
            Err(CommentError::TooLong)
        );
        assert_eq!(
            Comment::parse("a\u{7}"),
            Err(CommentError::InvalidCharacters)
        );
    }
}
