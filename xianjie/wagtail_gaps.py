"""Wagtail 8.0.1 admin strings that its own zh_Hans catalogues leave untranslated.

Listed here so that makemessages keeps them in locale/, where we translate them: LOCALE_PATHS takes
precedence over Wagtail's catalogues. Only screens our users see (login, dashboard, account, generic
model listing, forms, delete, history, users and groups). Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

WAGTAIL_GAPS = (
    # Login, account and preferences
    gettext_noop("Password"),  # the login form's label: Wagtail's catalogue leaves it in English
    gettext_noop("Use server language: %(language_name)s"),
    gettext_noop("Theme preferences"),
    gettext_noop("Can access Wagtail admin"),
    gettext_noop("Edit account avatar"),
    gettext_noop(
        "JavaScript is required to use Wagtail, but it is currently disabled.<br /> Here are the <a "
        'href="https://www.enable-javascript.com/" target="_blank" rel="noreferrer">instructions how to '
        "enable JavaScript in your web browser</a>."
    ),
    gettext_noop("Required. Letters, digits and @/./+/-/_ only."),
    gettext_noop("admin theme"),
    gettext_noop("contrast"),
    gettext_noop("More contrast"),
    gettext_noop("density"),
    gettext_noop("Snug"),
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
    # Dashboard
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop("Privacy and access"),
    gettext_noop("Wagtail upgrade available"),
    gettext_noop(
        "Your version: <strong>%(current_version)s</strong>. New version: <strong "
        'data-w-upgrade-target="latestVersion"></strong>.'
    ),
    gettext_noop("Read the release notes."),
    gettext_noop("Your pages and snippets in a workflow"),
    gettext_noop("Things in Wagtail %(version)s have changed!"),
    gettext_noop(
        "Don't worry, we've got your back. Check out the <a class=\"w-whats-new__link\" "
        'href="%(editor_guide_link)s" target="_blank" rel="noreferrer">Wagtail Editor Guide</a> to get the '
        "low down on what's changed and some exciting new features!"
    ),
    gettext_noop("Search all pages…"),
    # Dashboard summary, images and documents
    gettext_noop("Maximum filesize: %(max_upload_size)s."),
    gettext_noop("The document could not be created due to errors."),
    gettext_noop("The file could not be found. Please change the source or delete the document."),
    gettext_noop(
        'Why not <a class="upload-one-now" href="#tab-upload" data-action="w-tabs#select:prevent" '
        'data-w-tabs-target="trigger" data-w-tabs-focus-param="true">upload one now</a>?'
    ),
    gettext_noop("You haven't uploaded any images."),
    gettext_noop("Oldest"),
    gettext_noop("Grid layout"),
    gettext_noop("List layout"),
    # Keyboard shortcuts
    gettext_noop("Shortcuts"),
    gettext_noop("account"),
    gettext_noop("Keyboard shortcuts are currently disabled; manage your %(account_link)s to enable them."),
    gettext_noop("Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them."),
    gettext_noop("Section"),
    gettext_noop("Application"),
    gettext_noop("Show keyboard shortcuts"),
    gettext_noop("Toggle minimap"),
    gettext_noop("Close modal dialogs (like this one)"),
    gettext_noop("Save changes"),
    gettext_noop("Add or show comments"),
    gettext_noop("Text editing"),
    gettext_noop("Cut"),
    gettext_noop("Paste"),
    gettext_noop("Paste and match style"),
    gettext_noop("Paste without formatting"),
    gettext_noop("Text formatting"),
    gettext_noop("Insert or edit a link"),
    gettext_noop("Monospace (code)"),
    gettext_noop("Strike-through"),
    # Listings, filters and exports
    gettext_noop("item"),
    gettext_noop("items"),
    gettext_noop('There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("%(field_label)s:"),
    gettext_noop("%(related_model_name)s %(field_label)s"),
    gettext_noop("(blank)"),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("More bulk actions"),
    gettext_noop("Sort item order"),
    gettext_noop("Item %(index)s of %(total)s"),
    gettext_noop("Disable custom ordering"),
    gettext_noop("Enable custom ordering"),
    gettext_noop("'%(page_title)s' has been moved successfully."),
    gettext_noop(
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change."
    ),
    gettext_noop("%(classname)s object (%(id)s)"),
    gettext_noop("Unknown content type"),
    # Create and edit forms
    gettext_noop("Go to the first error"),
    gettext_noop("Actions (footer)"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("There are validation errors, click save to highlight them."),
    gettext_noop("Saved"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("Save your changes before leaving"),
    gettext_noop("Date cannot be in the future."),
    gettext_noop("Request to create %(model_name)s was blocked by hook."),
    gettext_noop("Request to edit %(model_name)s was blocked by hook."),
    gettext_noop(
        "You haven't created any %(snippet_type_name)s snippets. Why not <a "
        'href="%(wagtailsnippets_create_snippet_url)s" target="_blank" rel="noreferrer">create one now</a>?'
    ),
    # Delete and usage
    gettext_noop("One or more references to this %(model_name)s prevent it from being deleted."),
    gettext_noop("If you confirm deletion"),
    gettext_noop("(Private %(object)s)"),
    gettext_noop("the %(model_name)s will also be deleted"),
    gettext_noop("prevents deletion"),
    gettext_noop("will be set to the default %(model_name)s"),
    gettext_noop("will do nothing"),
    gettext_noop("may prevent deletion"),
    gettext_noop("will be set to a %(model_name)s specified by the system"),
    gettext_noop("will unset the reference"),
    # History
    gettext_noop("Compare"),
    gettext_noop("at %(time)s by %(user_display_name)s"),
    gettext_noop("at %(time)s"),
    gettext_noop("%(time)s by %(user_display_name)s"),
    gettext_noop("%(time_period)s ago by %(user_display_name)s"),
    # Users, groups and API tokens
    gettext_noop("Can view"),
    gettext_noop("Toggle all change permissions"),
    gettext_noop("Toggle all delete permissions"),
    gettext_noop("Toggle all custom permissions"),
    gettext_noop("group site permission"),
    gettext_noop("group site permissions"),
    gettext_noop("locale"),
    gettext_noop("API token"),
    gettext_noop("API tokens"),
    gettext_noop("A human-readable label to identify this token."),
    gettext_noop("created"),
    gettext_noop("revoked at"),
    gettext_noop("last used at"),
    gettext_noop("Token"),
    gettext_noop("Last used"),
    gettext_noop("Never"),
    gettext_noop("Revoked"),
    gettext_noop("Revoke"),
    gettext_noop("Yes, revoke"),
    gettext_noop("No, don't revoke"),
    gettext_noop("Are you sure you want to revoke this API token?"),
    gettext_noop("API token '%(name)s' revoked."),
    gettext_noop('The token "%(name)s" has been created, copy it now, it will never be shown again.'),
    gettext_noop("Copy token"),
    gettext_noop("Back to API tokens"),
    gettext_noop("Copying failed — please select and copy the token manually."),
    gettext_noop("Create API token"),
    gettext_noop("API token created"),
    gettext_noop("Revoke API token"),
    gettext_noop("API token revoked"),
    # Pages and reports (administrators)
    gettext_noop("Date updated"),
    gettext_noop("Edited by"),
    gettext_noop("Has child pages"),
    gettext_noop("Any"),
    gettext_noop("Page type"),
    gettext_noop("Choose parent"),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("The page could not be created due to validation errors."),
    gettext_noop("The page could not be saved due to validation errors."),
    gettext_noop("Page types usage"),
    gettext_noop("No results across entire site."),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
)

# ngettext strings: Chinese has one plural form, msgstr[0].
WAGTAIL_PLURAL_GAPS = (
    ngettext_lazy(
        "This %(model_name)s is referenced %(usage_count)s time.",
        "This %(model_name)s is referenced %(usage_count)s times.",
    ),
    ngettext_lazy("Referenced %(count)s time", "Referenced %(count)s times"),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
    ),
)
