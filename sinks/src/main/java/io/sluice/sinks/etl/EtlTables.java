package io.sluice.sinks.etl;

import io.sluice.schemas.etl.ActivityLogRow;
import io.sluice.schemas.etl.AddressRow;
import io.sluice.schemas.etl.AttachmentRow;
import io.sluice.schemas.etl.EducationRow;
import io.sluice.schemas.etl.ExperienceRow;
import io.sluice.schemas.etl.GroupRow;
import io.sluice.schemas.etl.LargeDataRow;
import io.sluice.schemas.etl.MessageRow;
import io.sluice.schemas.etl.PostRow;
import io.sluice.schemas.etl.PreferencesRow;
import io.sluice.schemas.etl.ProfileRow;
import io.sluice.schemas.etl.SettingsRow;
import io.sluice.schemas.etl.SocialMediaRow;
import io.sluice.schemas.etl.TransactionRow;
import io.sluice.schemas.etl.UserRow;
import io.sluice.schemas.etl.UserRows;

import java.util.List;

import static io.sluice.sinks.etl.Column.bool;
import static io.sluice.sinks.etl.Column.date;
import static io.sluice.sinks.etl.Column.int4;
import static io.sluice.sinks.etl.Column.int8;
import static io.sluice.sinks.etl.Column.jsonb;
import static io.sluice.sinks.etl.Column.numeric;
import static io.sluice.sinks.etl.Column.text;
import static io.sluice.sinks.etl.Column.timestamptz;

/**
 * The 15 ETL tables mapped from the {@link UserRows} row records, column for column as in
 * {@code V2__etl_tables.sql} (an IT compares the two), in the two orders the foreign keys impose.
 */
public final class EtlTables {

    public static final EtlTable<UserRow> USERS = new EtlTable<>("users", "id", UserRows::getUsers, UserRow::getId, List.of(
            int8("id", UserRow::getId), text("username", UserRow::getUsername), text("email", UserRow::getEmail),
            text("first_name", UserRow::getFirstName), text("last_name", UserRow::getLastName), int4("age", UserRow::getAge),
            timestamptz("created_at", UserRow::getCreatedAt), timestamptz("updated_at", UserRow::getUpdatedAt)));

    public static final EtlTable<AddressRow> ADDRESSES = new EtlTable<>("addresses", "user_id", UserRows::getAddresses,
            AddressRow::getUserId, List.of(
            int8("id", AddressRow::getId), int8("user_id", AddressRow::getUserId), text("street", AddressRow::getStreet),
            text("city", AddressRow::getCity), text("state", AddressRow::getState), text("zip", AddressRow::getZip),
            text("country", AddressRow::getCountry), jsonb("coordinates", AddressRow::getCoordinates)));

    public static final EtlTable<ProfileRow> PROFILES = new EtlTable<>("profiles", "user_id", UserRows::getProfiles,
            ProfileRow::getUserId, List.of(
            int8("id", ProfileRow::getId), int8("user_id", ProfileRow::getUserId), text("bio", ProfileRow::getBio),
            text("avatar_url", ProfileRow::getAvatarUrl), jsonb("interests", ProfileRow::getInterests),
            jsonb("skills", ProfileRow::getSkills)));

    public static final EtlTable<EducationRow> EDUCATION = new EtlTable<>("education", "user_id", UserRows::getEducation,
            EducationRow::getUserId, List.of(
            int8("id", EducationRow::getId), int8("user_id", EducationRow::getUserId),
            text("institution", EducationRow::getInstitution), text("degree", EducationRow::getDegree),
            text("field", EducationRow::getField), int4("start_year", EducationRow::getStartYear),
            int4("end_year", EducationRow::getEndYear)));

    public static final EtlTable<ExperienceRow> EXPERIENCE = new EtlTable<>("experience", "user_id", UserRows::getExperience,
            ExperienceRow::getUserId, List.of(
            int8("id", ExperienceRow::getId), int8("user_id", ExperienceRow::getUserId),
            text("company", ExperienceRow::getCompany), text("title", ExperienceRow::getTitle),
            date("start_date", ExperienceRow::getStartDate), date("end_date", ExperienceRow::getEndDate),
            text("description", ExperienceRow::getDescription)));

    public static final EtlTable<PreferencesRow> PREFERENCES = new EtlTable<>("preferences", "user_id",
            UserRows::getPreferences, PreferencesRow::getUserId, List.of(
            int8("id", PreferencesRow::getId), int8("user_id", PreferencesRow::getUserId),
            text("theme", PreferencesRow::getTheme), text("language", PreferencesRow::getLanguage),
            bool("email_notifications", PreferencesRow::getEmailNotifications),
            bool("push_notifications", PreferencesRow::getPushNotifications),
            bool("sms_notifications", PreferencesRow::getSmsNotifications)));

    public static final EtlTable<SettingsRow> SETTINGS = new EtlTable<>("settings", "user_id", UserRows::getSettings,
            SettingsRow::getUserId, List.of(
            int8("id", SettingsRow::getId), int8("user_id", SettingsRow::getUserId), text("privacy", SettingsRow::getPrivacy),
            bool("two_factor", SettingsRow::getTwoFactor), jsonb("extra", SettingsRow::getExtra)));

    public static final EtlTable<ActivityLogRow> ACTIVITY_LOG = new EtlTable<>("activity_log", "user_id",
            UserRows::getActivityLog, ActivityLogRow::getUserId, List.of(
            int8("id", ActivityLogRow::getId), int8("user_id", ActivityLogRow::getUserId),
            text("action", ActivityLogRow::getAction), text("ip", ActivityLogRow::getIp),
            timestamptz("timestamp", ActivityLogRow::getTimestamp)));

    public static final EtlTable<TransactionRow> TRANSACTIONS = new EtlTable<>("transactions", "user_id",
            UserRows::getTransactions, TransactionRow::getUserId, List.of(
            int8("id", TransactionRow::getId), int8("user_id", TransactionRow::getUserId),
            numeric("amount", TransactionRow::getAmount), text("currency", TransactionRow::getCurrency),
            text("status", TransactionRow::getStatus), timestamptz("timestamp", TransactionRow::getTimestamp)));

    public static final EtlTable<MessageRow> MESSAGES = new EtlTable<>("messages", "user_id", UserRows::getMessages,
            MessageRow::getUserId, List.of(
            int8("id", MessageRow::getId), int8("user_id", MessageRow::getUserId), text("sender", MessageRow::getSender),
            text("recipient", MessageRow::getRecipient), text("subject", MessageRow::getSubject),
            text("body", MessageRow::getBody), timestamptz("sent_at", MessageRow::getSentAt)));

    public static final EtlTable<AttachmentRow> ATTACHMENTS = new EtlTable<>("attachments", "user_id",
            UserRows::getAttachments, AttachmentRow::getUserId, List.of(
            int8("id", AttachmentRow::getId), int8("message_id", AttachmentRow::getMessageId),
            int8("user_id", AttachmentRow::getUserId), text("filename", AttachmentRow::getFilename),
            int8("size", AttachmentRow::getSize), text("mime_type", AttachmentRow::getMimeType)));

    public static final EtlTable<SocialMediaRow> SOCIAL_MEDIA = new EtlTable<>("social_media", "user_id",
            UserRows::getSocialMedia, SocialMediaRow::getUserId, List.of(
            int8("id", SocialMediaRow::getId), int8("user_id", SocialMediaRow::getUserId),
            text("twitter", SocialMediaRow::getTwitter), text("linkedin", SocialMediaRow::getLinkedin),
            text("github", SocialMediaRow::getGithub)));

    public static final EtlTable<PostRow> POSTS = new EtlTable<>("posts", "user_id", UserRows::getPosts,
            PostRow::getUserId, List.of(
            int8("id", PostRow::getId), int8("user_id", PostRow::getUserId), text("content", PostRow::getContent),
            int4("likes", PostRow::getLikes), timestamptz("created_at", PostRow::getCreatedAt)));

    public static final EtlTable<GroupRow> GROUPS = new EtlTable<>("groups", "user_id", UserRows::getGroups,
            GroupRow::getUserId, List.of(
            int8("id", GroupRow::getId), int8("user_id", GroupRow::getUserId), text("name", GroupRow::getName),
            text("role", GroupRow::getRole), timestamptz("joined_at", GroupRow::getJoinedAt)));

    public static final EtlTable<LargeDataRow> LARGE_DATA = new EtlTable<>("large_data", "user_id",
            UserRows::getLargeData, LargeDataRow::getUserId, List.of(
            int8("id", LargeDataRow::getId), int8("user_id", LargeDataRow::getUserId),
            text("content", LargeDataRow::getContent)));

    /** Insert order: users before everything, messages before attachments. */
    public static final List<EtlTable<?>> PARENTS_FIRST = List.of(USERS, ADDRESSES, PROFILES, EDUCATION, EXPERIENCE,
            PREFERENCES, SETTINGS, ACTIVITY_LOG, TRANSACTIONS, MESSAGES, ATTACHMENTS, SOCIAL_MEDIA, POSTS, GROUPS, LARGE_DATA);

    /** Delete order: the reverse, so no row is deleted while another still references it. */
    public static final List<EtlTable<?>> CHILDREN_FIRST = PARENTS_FIRST.reversed();

    private EtlTables() {
    }
}
