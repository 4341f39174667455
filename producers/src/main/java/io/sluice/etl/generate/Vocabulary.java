package io.sluice.etl.generate;

import java.util.List;
import java.util.SplittableRandom;

/** The word lists the users generator draws from; fixed, so a seed always gives the same users. */
final class Vocabulary {

    static final List<String> FIRST_NAMES = List.of("Ada", "Alan", "Grace", "Linus", "Barbara", "Edsger", "Frances", "Donald",
            "Margaret", "Ken", "Radia", "Tim", "Hedy", "John", "Sophie", "Niklaus", "Karen", "Dennis", "Shafi", "Guido");
    static final List<String> LAST_NAMES = List.of("Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Dijkstra", "Allen",
            "Knuth", "Hamilton", "Thompson", "Perlman", "Berners-Lee", "Lamarr", "McCarthy", "Wilson", "Wirth", "Jones",
            "Ritchie", "Goldwasser", "van Rossum");
    static final List<String> CITIES = List.of("New York", "Berlin", "Tokyo", "Lagos", "Lima", "Oslo", "Pune", "Austin",
            "Lyon", "Porto", "Seoul", "Nairobi");
    static final List<String> STATES = List.of("NY", "BE", "13", "LA", "LIM", "03", "MH", "TX", "ARA", "13", "11", "30");
    static final List<String> COUNTRIES = List.of("US", "DE", "JP", "NG", "PE", "NO", "IN", "US", "FR", "PT", "KR", "KE");
    static final List<String> STREETS = List.of("Main St", "Oak Ave", "Elm Rd", "Market St", "Lake Dr", "Hill Way", "Park Ln");
    static final List<String> INTERESTS = List.of("hiking", "chess", "cooking", "photography", "cycling", "jazz", "gardening",
            "astronomy", "climbing", "poetry", "sailing", "painting");
    static final List<String> SKILLS = List.of("java", "kafka", "sql", "go", "rust", "python", "kubernetes", "avro", "postgres",
            "mongodb", "terraform", "linux");
    static final List<String> INSTITUTIONS = List.of("MIT", "ETH Zurich", "University of Tokyo", "Stanford", "TU Munich",
            "University of Lagos", "IIT Bombay", "Sorbonne");
    static final List<String> DEGREES = List.of("BSc", "MSc", "PhD", "BA", "MBA");
    static final List<String> FIELDS = List.of("Computer Science", "Mathematics", "Physics", "Economics", "Biology", "History");
    static final List<String> COMPANIES = List.of("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Corp");
    static final List<String> TITLES = List.of("Engineer", "Senior Engineer", "Staff Engineer", "Manager", "Analyst", "Architect");
    static final List<String> ACTIONS = List.of("login", "logout", "view_page", "update_profile", "purchase", "search", "upload");
    static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY", "GBP", "NGN", "INR");
    static final List<String> STATUSES = List.of("completed", "pending", "failed", "refunded");
    static final List<String> THEMES = List.of("dark", "light", "system");
    static final List<String> LANGUAGES = List.of("en", "de", "ja", "fr", "pt", "ko");
    static final List<String> PRIVACY = List.of("public", "friends", "private");
    static final List<String> MIME_TYPES = List.of("image/png", "image/jpeg", "application/pdf", "text/plain", "application/zip");
    static final List<String> EXTENSIONS = List.of("png", "jpg", "pdf", "txt", "zip");
    static final List<String> ROLES = List.of("member", "admin", "moderator");
    static final List<String> GROUPS = List.of("Kafka Users", "Chess Club", "Hikers", "Rustaceans", "Postgres Fans", "Book Club");
    static final List<String> WORDS = List.of("the", "stream", "of", "events", "flows", "through", "a", "log", "that", "never",
            "forgets", "each", "record", "carries", "its", "key", "and", "value", "into", "tables", "where", "rows", "wait",
            "for", "queries", "from", "users", "who", "care", "about", "order", "consistency", "and", "time");

    private Vocabulary() {
    }

    static String pick(SplittableRandom random, List<String> words) {
        return words.get(random.nextInt(words.size()));
    }

    /** About {@code approxChars} characters of words, for the large_data text and message bodies. */
    static String text(SplittableRandom random, int approxChars) {
        StringBuilder out = new StringBuilder(approxChars + 16);
        while (out.length() < approxChars) {
            if (!out.isEmpty()) out.append(' ');
            out.append(pick(random, WORDS));
        }
        return out.toString();
    }
}
