/*---
id: aws/console-sign-in
signal: console sign-in
class: human
weight: 30
reads: [activity_v, identities_base]
meaning: >-
  The principal signed in to the console or made calls from a console session in the window.
---*/
SELECT ib.id, act.console_logins || ' console sign-in(s), ' || act.console_calls || ' console calls' AS detail
FROM identities_base ib JOIN activity_v act ON act.subject_type = 'principal' AND act.subject_id = ib.id
WHERE act.console_logins > 0 OR act.console_calls > 0
