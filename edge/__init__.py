"""The ASGI layers in front of the schema: request guard, response cache, outage answers, slow
clients' deadlines, logs and metrics, and the calendar feed's route. (Not `http`: that name is
the standard library's.)"""
