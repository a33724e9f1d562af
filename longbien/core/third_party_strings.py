"""Third-party strings that users see, listed so that our own catalogs translate them.

django-auditlog, django-import-export and django-filter ship no Vietnamese, and Django REST
framework and Django itself translate only part of what our users meet. Their translations
live in ``locale/<lang>/LC_MESSAGES/django.po`` (LOCALE_PATHS takes precedence over the
packages' catalogs). ``makemessages --no-obsolete`` keeps only the msgids it finds in our
sources, so this module is where those msgids are found: nothing imports it at run time.

Each msgid is copied exactly from the installed package (a single different character and
the translation silently stops applying); ``tests/core/test_translations.py`` checks that
each one is translated. To add one: list it here, run ``make messages``, translate it in
``locale/vi`` and ``locale/en``, and run ``make messages`` again to compile.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

THIRD_PARTY = (
    # django-auditlog: the actions, the LogEntry fields and its admin (auditlog/models.py,
    # admin.py, mixins.py, filters.py).
    _("create"),
    _("update"),
    _("delete"),
    _("access"),
    _("content type"),
    _("object pk"),
    _("object id"),
    _("object representation"),
    _("action"),
    _("change message"),
    _("actor"),
    _("Correlation ID"),
    _("remote address"),
    _("remote port"),
    _("timestamp"),
    _("additional data"),
    _("actor email"),
    _("log entry"),
    _("log entries"),
    _("Created {repr:s}"),
    _("Updated {repr:s}"),
    _("Deleted {repr:s}"),
    _("Logged {repr:s}"),
    _("Created"),
    _("User"),
    _("Resource"),
    _("Resource Type"),
    _("Changes"),
    _("Audit log"),
    _("Click to filter by records with this correlation id"),
    # django-auditlog: the changes table of its admin (render.py), its object history page
    # (mixins.py, templates/auditlog/).
    _("Field"),
    _("From"),
    _("To"),
    _("Relationship"),
    _("Action"),
    _("Objects"),
    _("Audit log: %s"),
    _("View"),
    _("system"),
    _("No field changes"),
    _("No log entries found."),
    # Django REST framework: what API users meet (exceptions.py, authentication.py,
    # fields.py, relations.py, pagination.py, filters.py).
    _("Authentication credentials were not provided."),
    _("Incorrect authentication credentials."),
    _("Invalid token."),
    _("Invalid token header. No credentials provided."),
    _("Invalid token header. Token string should not contain spaces."),
    _("User inactive or deleted."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _("Invalid input."),
    _("Malformed request."),
    _("A server error occurred."),
    _('Method "{method}" not allowed.'),
    _('Unsupported media type "{media_type}" in request.'),
    _("Request was throttled."),
    # DRF translates these two separately and then picks one (exceptions.Throttled).
    _("Expected available in {wait} second."),
    _("Expected available in {wait} seconds."),
    _("This field is required."),
    _("This field may not be blank."),
    _("This field may not be null."),
    _("Not a valid string."),
    _("Must be a valid boolean."),
    _("A valid integer is required."),
    _("A valid number is required."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Date has wrong format. Use one of these formats instead: {format}."),
    _("Datetime has wrong format. Use one of these formats instead: {format}."),
    _('"{input}" is not a valid choice.'),
    _('Expected a list of items but got type "{input_type}".'),
    _('Invalid pk "{pk_value}" - object does not exist.'),
    _("Incorrect type. Expected pk value, received {data_type}."),
    _("Object with {slug_name}={value} does not exist."),
    _("Invalid page."),
    _("A page number within the paginated result set."),
    _("Number of results to return per page."),
    _("Which field to use when ordering the results."),
    _("A search term."),
    # Django REST framework, the rest of what the API can answer that DRF's own "vi" catalog
    # leaves in English (authentication.py, exceptions.py, fields.py, serializers.py,
    # validators.py). Parse errors are ours (longbien/core/edges.py), and a 404 from
    # get_object_or_404 carries Django's untranslated "No %s matches the given query.".
    _("Invalid token header. Token string should not contain invalid characters."),
    _("Could not satisfy the request Accept header."),
    _("Ensure this field has at least {min_length} characters."),
    _("This value does not match the required pattern."),
    _('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'),
    _("Must be a valid UUID."),
    _("String value too large."),
    _("A valid biginteger is required."),
    _("Integer value too large to convert to float"),
    _("Ensure that there are no more than {max_digits} digits in total."),
    _("Ensure that there are no more than {max_decimal_places} decimal places."),
    _("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    _("Expected a datetime but got a date."),
    _('Invalid datetime for the timezone "{timezone}".'),
    _("Datetime value out of range."),
    _("Expected a date but got a datetime."),
    _("Time has wrong format. Use one of these formats instead: {format}."),
    _("Duration has wrong format. Use one of these formats instead: {format}."),
    _("The number of days must be between {min_days} and {max_days}."),
    _("This selection may not be empty."),
    _("The submitted data was not a file. Check the encoding type on the form."),
    _("No filename could be determined."),
    _("Ensure this filename has at most {max_length} characters (it has {length})."),
    _("Ensure this field has at least {min_length} elements."),
    _("Ensure this field has no more than {max_length} elements."),
    _('Expected a dictionary of items but got type "{input_type}".'),
    _("This dictionary may not be empty."),
    _("Invalid data. Expected a dictionary, but got {datatype}."),
    _("This field must be unique."),
    _("The fields {field_names} must make a unique set."),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    _('This field must be unique for the "{date_field}" date.'),
    _('This field must be unique for the "{date_field}" month.'),
    _('This field must be unique for the "{date_field}" year.'),
    # django-import-export: the admin pages and forms (templates/admin/import_export/,
    # forms.py, admin.py).
    _("Import"),
    _("Export"),
    _("Submit"),
    _("Confirm import"),
    _("Errors"),
    _("Line number"),
    _("Format"),
    _("File to import"),
    # django-filter: the boolean widget and the link widget (widgets.py). Version 26 has
    # no "Any" label; "All" is the choice that stands for no filter.
    _("All"),
    _("Unknown"),
    # django-axes and DRF's token app in the admin.
    _("access failure"),
    _("access failures"),
    _("access attempt"),
    _("access attempts"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access log"),
    _("access logs"),
    _("Auth Token"),
    _("Token"),
    _("Tokens"),
    _("Yes"),
    _("No"),
)

# Django's own catalog for "vi" still has this message in its older wording
# ("%(min_length)d"), so Django 5.2's MinimumLengthValidator error stays English there.
THIRD_PARTY_PLURALS = (
    # django-auditlog's pagination of a record's history (templates/auditlog/pagination.html).
    ngettext_lazy("entry", "entries", "n"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
)
