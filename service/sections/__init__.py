"""The issuer's application form: sections saved one at a time, the task list, check answers."""
