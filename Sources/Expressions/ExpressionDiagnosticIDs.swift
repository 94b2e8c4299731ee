import Diagnostics

/// Stable ids of every expression rule. Once published, an id never changes meaning.
extension DiagnosticID {
    // Text-level problems.
    public static let expressionEmpty: DiagnosticID = "expression.empty"
    public static let expressionTooLong: DiagnosticID = "expression.too-long"
    public static let expressionTooManyFindings: DiagnosticID = "expression.too-many-findings"
    public static let expressionUnexpectedCharacter: DiagnosticID = "expression.unexpected-character"
    public static let expressionUnterminatedString: DiagnosticID = "expression.unterminated-string"
    public static let expressionUnknownEscape: DiagnosticID = "expression.unknown-escape"
    public static let expressionUnterminatedAttribute: DiagnosticID = "expression.unterminated-attribute"
    public static let expressionEmptyAttribute: DiagnosticID = "expression.empty-attribute"
    public static let expressionAttributeWhitespace: DiagnosticID = "expression.attribute-whitespace"
    public static let expressionUnsupportedOperator: DiagnosticID = "expression.unsupported-operator"
    public static let expressionDecimalNumber: DiagnosticID = "expression.decimal-number"

    // Copy-paste damage, each with a fix-it.
    public static let expressionTypographicQuote: DiagnosticID = "expression.typographic-quote"
    public static let expressionSingleQuotedString: DiagnosticID = "expression.single-quoted-string"
    public static let expressionFullWidthPunctuation: DiagnosticID = "expression.full-width-punctuation"
    public static let expressionMarkdownEscape: DiagnosticID = "expression.markdown-escape"
    public static let expressionTrailingPeriod: DiagnosticID = "expression.trailing-period"
    public static let expressionBacktick: DiagnosticID = "expression.backtick"
    public static let expressionNonASCIIWhitespace: DiagnosticID = "expression.non-ascii-whitespace"

    // Grammar.
    public static let expressionExpectedValue: DiagnosticID = "expression.expected-value"
    public static let expressionExpectedComma: DiagnosticID = "expression.expected-comma"
    public static let expressionMissingClosingParenthesis: DiagnosticID = "expression.missing-closing-parenthesis"
    public static let expressionUnexpectedClosingParenthesis: DiagnosticID = "expression.unexpected-closing-parenthesis"
    public static let expressionTrailingInput: DiagnosticID = "expression.trailing-input"
    public static let expressionBareIdentifier: DiagnosticID = "expression.bare-identifier"
    public static let expressionSpaceBeforeParenthesis: DiagnosticID = "expression.space-before-parenthesis"
    public static let expressionChainedComparison: DiagnosticID = "expression.chained-comparison"
    public static let expressionNestingTooDeep: DiagnosticID = "expression.nesting-too-deep"

    // Meaning.
    public static let expressionUnknownFunction: DiagnosticID = "expression.unknown-function"
    public static let expressionFunctionCase: DiagnosticID = "expression.function-case"
    public static let expressionFunctionNotForProvisioning: DiagnosticID = "expression.function-not-for-provisioning"
    public static let expressionArgumentCount: DiagnosticID = "expression.argument-count"
    public static let expressionMissingArgument: DiagnosticID = "expression.missing-argument"
    public static let expressionSwitchPairs: DiagnosticID = "expression.switch-pairs"
    public static let expressionSwitchSourcePredicate: DiagnosticID = "expression.switch-source-predicate"
    public static let expressionLegacyFormatDateTime: DiagnosticID = "expression.legacy-format-date-time"
    public static let expressionJobKind: DiagnosticID = "expression.job-kind"
    public static let expressionNotTopLevel: DiagnosticID = "expression.not-top-level"
    public static let expressionRoleArgument: DiagnosticID = "expression.role-argument"
    public static let expressionMisplacedComparison: DiagnosticID = "expression.misplaced-comparison"
    public static let expressionRegex: DiagnosticID = "expression.regex"
    public static let expressionDateInterval: DiagnosticID = "expression.date-interval"
    public static let expressionUnknownAttribute: DiagnosticID = "expression.unknown-attribute"
    public static let expressionAttributeCase: DiagnosticID = "expression.attribute-case"
    public static let expressionUnavailableAttribute: DiagnosticID = "expression.unavailable-attribute"
}
