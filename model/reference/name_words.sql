/*---
name: name_words
kind: reference
params: [reference_dir]
summary: >-
  Word lists as RE2 patterns, by list: names that suggest an agent (IAM users and roles, PAT names), automation or
  personal use (PAT names), bot or service logins. Group 2 of the name patterns is the word shown as evidence.
---*/
CREATE OR REPLACE TABLE name_words AS
SELECT list, pattern, meaning
FROM read_csv(getvariable('reference_dir') || '/name-words.csv', header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
