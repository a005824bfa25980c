import Foundation

/// Seconds with three decimals, as reports show times.
func seconds(_ nanoseconds: Int64) -> String {
    String(format: "%.3fs", Double(nanoseconds) / 1e9)
}

func fixed(_ value: Double, _ digits: Int = 3) -> String {
    String(format: "%.\(digits)f", value)
}

func percent(_ value: Double) -> String {
    String(format: "%.1f%%", value * 100)
}

/// Text made safe for XML and HTML content and attributes.
func escaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(character)
        }
    }
    return result
}
