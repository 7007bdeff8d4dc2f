/*---
id: aws/root-user
signal: account root user
class: human
weight: 100
reads: [identities_base]
meaning: >-
  The account's root user (the credential report's <root_account> row): the account owner's sign-in, a person.
not_agent: { text: 'the account root user: the account owner signs in as it', replace: true }
---*/
SELECT id, 'the root user of account ' || account AS detail FROM identities_base WHERE kind = 'root'
