# Sourced by the action's scripts (bash). Splits a string into words the way a POSIX shell splits a simple
# command line, WITHOUT running anything: no eval, no expansion, no command substitution, no globbing.
#   - blanks (space, tab, newline) separate words;
#   - '...' keeps everything literally; "..." keeps everything literally except \" \\ \$ \` and \<newline>;
#   - a backslash outside quotes makes the next character literal;
#   - $(...), `...`, $VAR and * are ordinary characters (the action's inputs come from workflow expressions,
#     which GitHub has already expanded, so there is nothing left for a shell to expand);
#   - an unquoted ; & | < > is refused: a shell user would expect a redirection, pipe or second command, and the
#     action runs none (use scimctl's --output FILE; quote the character to pass it literally).
# On success the words are in the array SPLIT_WORDS; on failure SPLIT_ERROR says why and the status is 1.
split_args() {
  local input=$1 length=${#1} index=0 character word="" in_word=0 quote=""
  SPLIT_WORDS=()
  SPLIT_ERROR=""
  while [ "$index" -lt "$length" ]; do
    character=${input:index:1}
    if [ "$quote" = "'" ]; then
      if [ "$character" = "'" ]; then quote=""; else word+=$character; fi
    elif [ "$quote" = '"' ]; then
      if [ "$character" = '"' ]; then
        quote=""
      elif [ "$character" = '\' ] && [ $((index + 1)) -lt "$length" ]; then
        local next=${input:index+1:1}
        case $next in
          '"' | '\' | '$' | '`') word+=$next; index=$((index + 1)) ;;
          $'\n') index=$((index + 1)) ;;
          *) word+=$character ;;
        esac
      else
        word+=$character
      fi
    else
      case $character in
        ' ' | $'\t' | $'\n' | $'\r')
          if [ "$in_word" = 1 ]; then SPLIT_WORDS+=("$word"); word=""; in_word=0; fi
          ;;
        "'" | '"') quote=$character; in_word=1 ;;
        '\')
          in_word=1
          if [ $((index + 1)) -lt "$length" ]; then
            index=$((index + 1))
            # \<newline> joins lines, as in a shell.
            if [ "${input:index:1}" != $'\n' ]; then word+=${input:index:1}; fi
          fi
          ;;
        ';' | '&' | '|' | '<' | '>')
          SPLIT_ERROR="unquoted '$character' in args: the action runs scimctl directly, not through a shell, so there is no redirection, pipe or second command; write reports with --output FILE, or quote the character to pass it literally"
          return 1
          ;;
        *) word+=$character; in_word=1 ;;
      esac
    fi
    index=$((index + 1))
  done
  if [ -n "$quote" ]; then
    SPLIT_ERROR="unterminated $quote quote in args"
    return 1
  fi
  if [ "$in_word" = 1 ]; then SPLIT_WORDS+=("$word"); fi
  return 0
}
